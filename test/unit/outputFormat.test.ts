import type { INodeProperties } from 'n8n-workflow';

import { OUTPUT_FORMAT_MIME } from '../../nodes/UniAllGptImage2/helpers/contract';
import { InputError } from '../../nodes/UniAllGptImage2/helpers/errors';
import { readRowOptions } from '../../nodes/UniAllGptImage2/helpers/options';
import { imageItemJson } from '../../nodes/UniAllGptImage2/helpers/output';
import { buildGenerationBody } from '../../nodes/UniAllGptImage2/helpers/request';
import {
	buildRequest,
	refusedOutputField,
} from '../../nodes/UniAllGptImage2/helpers/requestFormat';
import {
	bodyFromOptions,
	oneImage,
	oneImageRow,
	textToImageOptions,
} from '../helpers/outputOptions';

/** Output Format / Output Compression: options, both request bodies, refusals, notices. Pure. */

const row = (options: Record<string, unknown>) => bodyFromOptions(options);

describe('Output Format and Output Compression options', () => {
	it('are absent unless added: the bodies are exactly the ones sent before', () => {
		const body = row({});
		expect(buildRequest('uniall', body).body).toEqual({
			model: 'gpt-image-2-origin',
			generation_mode: 'text_to_image',
			prompt: 'a fox',
			aspect_ratio: '16:9',
			resolution: '4K',
			num_images: 1,
		});
		expect(buildRequest('openai', body).body).toEqual({
			model: 'gpt-image-2-origin',
			prompt: 'a fox',
			size: '3840x2160',
			n: 1,
			response_format: 'url',
		});
	});

	it('go into both request formats, under the same names', () => {
		const body = row({ outputFormat: 'jpeg', outputCompression: 85 });
		for (const format of ['uniall', 'openai'] as const) {
			expect(buildRequest(format, body).body).toMatchObject({
				output_format: 'jpeg',
				output_compression: 85,
			});
		}
	});

	it('go to /v1/images/edits too when reference images are used (OpenAI-compatible)', () => {
		const body = buildGenerationBody({
			operation: 'imageToImage',
			prompt: 'the same on a beach',
			aspectRatio: '1:1',
			resolution: '1K',
			numImages: 1,
			imageUrls: ['https://cdn.example.com/a.jpg'],
			outputFormat: 'webp',
			outputCompression: 60,
		});
		const request = buildRequest('openai', body);
		expect(request.route).toBe('/v1/images/edits');
		expect(request.body).toMatchObject({ output_format: 'webp', output_compression: 60 });
	});

	it('drop the compression for PNG (PNG has none) and when only the format is set', () => {
		expect(row({ outputFormat: 'png', outputCompression: 50 })).toMatchObject({
			output_format: 'png',
		});
		expect(row({ outputFormat: 'png', outputCompression: 50 })).not.toHaveProperty(
			'output_compression',
		);
		expect(row({ outputFormat: 'jpeg' })).not.toHaveProperty('output_compression');
	});

	it('accept "JPG" and upper case from an expression', () => {
		expect(readRowOptions({ outputFormat: ' JPG ' }).outputFormat).toBe('jpeg');
		expect(readRowOptions({ outputFormat: 'WebP' }).outputFormat).toBe('webp');
	});

	it('refuse an unknown format and a compression outside 0-100, naming the option', () => {
		expect(() => readRowOptions({ outputFormat: 'gif' })).toThrow(InputError);
		expect(() => readRowOptions({ outputFormat: 'gif' })).toThrow(/Output Format "gif"/);
		expect(() => readRowOptions({ outputFormat: 'jpeg', outputCompression: 101 })).toThrow(
			/Output Compression must be a whole number from 0 to 100, got 101/,
		);
		expect(() => readRowOptions({ outputFormat: 'jpeg', outputCompression: 8.5 })).toThrow(
			/Output Compression/,
		);
		expect(readRowOptions({ outputFormat: 'jpeg', outputCompression: '0' }).outputCompression).toBe(
			0,
		);
	});
});

describe('refusedOutputField (which option a 400 refuses)', () => {
	const refusal = (body: unknown, status = 400) => refusedOutputField({ status, body });

	it('reads the param of an OpenAI-style refusal', () => {
		expect(
			refusal({
				error: {
					message: "Unknown parameter: 'output_format'.",
					param: 'output_format',
					code: 'unknown_parameter',
				},
			}),
		).toBe('output_format');
		expect(refusal({ error: { message: 'bad value', param: 'output_compression' } })).toBe(
			'output_compression',
		);
	});

	it('reads the field from the message when there is no param', () => {
		expect(refusal({ error: { message: 'output_compression is not supported' } })).toBe(
			'output_compression',
		);
		expect(refusal('Unknown field output_format')).toBe('output_format');
	});

	it('is undefined for other refusals and for failures that are not refusals', () => {
		expect(
			refusal({ error: { message: "Unknown parameter: 'aspect_ratio'.", param: 'aspect_ratio' } }),
		).toBeUndefined();
		expect(refusal({ error: { message: 'output_format busy' } }, 503)).toBeUndefined();
	});
});

describe('the delivered bytes are the truth', () => {
	const summary = (outputFormat?: 'png' | 'jpeg' | 'webp') => oneImageRow({ outputFormat });
	const image = (mimeType: string) => oneImage({ mimeType });

	it('adds a notice when another format than asked was delivered; the cost stays', () => {
		const json = imageItemJson(summary('jpeg'), image('image/png'));
		expect(json.notice).toMatch(/Output Format was JPEG, but UniAll delivered image\/png/);
		expect(json.cost).toBe(0.01836);
		expect(json.mimeType).toBe('image/png');
	});

	it('says nothing when the format matches, or when none was asked', () => {
		for (const format of ['png', 'jpeg', 'webp'] as const) {
			expect(imageItemJson(summary(format), image(OUTPUT_FORMAT_MIME[format]))).not.toHaveProperty(
				'notice',
			);
		}
		expect(imageItemJson(summary(), image('image/webp'))).not.toHaveProperty('notice');
	});
});

describe('the editor', () => {
	const options = textToImageOptions();
	const option = (name: string) => options.find((o) => o.name === name) as INodeProperties;

	it('offers PNG (default), JPEG and WebP, in words a no-code user reads', () => {
		expect(option('outputFormat')).toMatchObject({ type: 'options', default: 'png' });
		expect(
			option('outputFormat')
				.options?.map((o) => (o as { value: string }).value)
				.sort(),
		).toEqual(['jpeg', 'png', 'webp']);
		expect(option('outputFormat').description).toMatch(/JPEG .*Instagram and X/);
		expect(option('outputCompression').description).toMatch(/lower = smaller file/);
	});

	it('shows Output Compression only for JPEG and WebP, within 0-100', () => {
		expect(option('outputCompression').displayOptions).toEqual({
			show: { outputFormat: ['jpeg', 'webp'] },
		});
		expect(option('outputCompression').typeOptions).toMatchObject({ minValue: 0, maxValue: 100 });
	});
});
