import type { INodeProperties } from 'n8n-workflow';

import { FORMAT_HINTS, InputError } from '../../nodes/UniAllGptImage2/helpers/errors';
import { readRowOptions } from '../../nodes/UniAllGptImage2/helpers/options';
import { imageItemJson } from '../../nodes/UniAllGptImage2/helpers/output';
import { buildGenerationBody } from '../../nodes/UniAllGptImage2/helpers/request';
import {
	buildRequest,
	classifyRefusal,
	refusedOutputField,
} from '../../nodes/UniAllGptImage2/helpers/requestFormat';
import {
	bodyFromOptions,
	oneImage,
	oneImageRow,
	textToImageOptions,
} from '../helpers/outputOptions';

/** Quality and Background: options, both request bodies, refusals, the opaque-background notice. Pure. */

const row = (options: Record<string, unknown>) =>
	bodyFromOptions(options, { prompt: 'a lamp', aspectRatio: '1:1', resolution: '1K' });

describe('Quality and Background options', () => {
	it('are absent unless added: no quality or background field in either body', () => {
		const body = row({ outputFormat: 'png' });
		for (const format of ['uniall', 'openai'] as const) {
			expect(Object.keys(buildRequest(format, body).body)).not.toEqual(
				expect.arrayContaining(['quality']),
			);
			expect(buildRequest(format, body).body).not.toHaveProperty('background');
		}
	});

	it('go into both request formats under their own names', () => {
		const body = row({ quality: 'high', background: 'transparent' });
		for (const format of ['uniall', 'openai'] as const) {
			expect(buildRequest(format, body).body).toMatchObject({
				quality: 'high',
				background: 'transparent',
			});
		}
		expect(row({ quality: 'low' })).toMatchObject({ quality: 'low' });
		expect(row({ quality: 'low' })).not.toHaveProperty('background');
	});

	it('go to /v1/images/edits too when reference images are used (OpenAI-compatible)', () => {
		const read = readRowOptions({ quality: 'medium', background: 'opaque' });
		const body = buildGenerationBody({
			operation: 'imageToImage',
			prompt: 'the same lamp',
			aspectRatio: '1:1',
			resolution: '1K',
			numImages: 1,
			imageUrls: ['https://cdn.example.com/lamp.jpg'],
			quality: read.quality,
			background: read.background,
		});
		const request = buildRequest('openai', body);
		expect(request.route).toBe('/v1/images/edits');
		expect(request.body).toMatchObject({ quality: 'medium', background: 'opaque' });
	});

	it('read upper case from an expression and refuse unknown values, naming the option', () => {
		expect(readRowOptions({ quality: ' High ', background: 'TRANSPARENT' })).toMatchObject({
			quality: 'high',
			background: 'transparent',
		});
		expect(() => readRowOptions({ quality: 'hd' })).toThrow(
			/Quality "hd" is not supported. Use one of low, medium, high/,
		);
		expect(() => readRowOptions({ background: 'white' })).toThrow(
			/Background "white" is not supported. Use one of auto, transparent, opaque/,
		);
	});

	it('refuse Transparent with JPEG before anything is sent, naming both options', () => {
		const refused = () => readRowOptions({ background: 'transparent', outputFormat: 'jpg' });
		expect(refused).toThrow(InputError);
		expect(refused).toThrow(/Background Transparent .*Output Format JPEG/);
		expect(refused).toThrow(/PNG or WebP/);
		for (const outputFormat of ['png', 'webp', undefined]) {
			expect(readRowOptions({ background: 'transparent', outputFormat }).background).toBe(
				'transparent',
			);
		}
		expect(readRowOptions({ background: 'opaque', outputFormat: 'jpeg' }).background).toBe(
			'opaque',
		);
	});
});

describe('a refusal of quality or background', () => {
	const failure = (error: Record<string, unknown>) => ({ status: 400, body: { error } });
	const unknownQuality = failure({
		message: "Unknown parameter: 'quality'.",
		param: 'quality',
		code: 'unknown_parameter',
	});

	it('names the option (param or message)', () => {
		expect(refusedOutputField(unknownQuality)).toBe('quality');
		expect(refusedOutputField(failure({ message: 'background is not supported' }))).toBe(
			'background',
		);
	});

	it('counts only for a body that carries the field', () => {
		const sent = row({ quality: 'high' });
		expect(refusedOutputField(unknownQuality, sent)).toBe('quality');
		const other = failure({ message: 'prompt: a transparent background is not allowed here' });
		expect(refusedOutputField(other, sent)).toBeUndefined();
		expect(refusedOutputField(other, row({ background: 'transparent' }))).toBe('background');
	});

	it('is no longer a sign of the other request format in the OpenAI-compatible one', () => {
		// quality is sent in both formats now, so refusing it says nothing about the format.
		expect(classifyRefusal(unknownQuality, 'openai')).toBe('other');
	});

	it('says what the user gets without the option', () => {
		expect(FORMAT_HINTS.outputOptionRefused('quality', 'high', ['UniAll'])).toMatch(
			/refused the Quality option \("high"\) in the UniAll request format; nothing was generated or billed. Remove Quality .*same price/,
		);
		expect(FORMAT_HINTS.outputOptionRefused('background', 'transparent', ['UniAll'])).toMatch(
			/Remove Background from the node's options/,
		);
	});
});

describe('an opaque image delivered for a transparent request', () => {
	const summary = (background?: 'auto' | 'transparent' | 'opaque') => oneImageRow({ background });
	const image = (hasAlpha?: boolean) => oneImage({ hasAlpha });

	it('is handed on at the same price, with a notice', () => {
		const json = imageItemJson(summary('transparent'), image(false));
		expect(json.notice).toMatch(/Background was Transparent, .*came back opaque.*same price/);
		expect(json.cost).toBe(0.01836);
	});

	it('says nothing with alpha, when the bytes do not tell, or when Transparent was not asked', () => {
		expect(imageItemJson(summary('transparent'), image(true))).not.toHaveProperty('notice');
		expect(imageItemJson(summary('transparent'), image(undefined))).not.toHaveProperty('notice');
		for (const background of ['auto', 'opaque', undefined] as const)
			expect(imageItemJson(summary(background), image(false))).not.toHaveProperty('notice');
	});
});

describe('the editor', () => {
	const options = textToImageOptions();
	const option = (name: string) => options.find((o) => o.name === name) as INodeProperties;
	const values = (name: string) =>
		option(name)
			.options?.map((o) => (o as { value: string }).value)
			.sort();

	it("offers Quality (UniAll's default Medium), saying the price does not change and High takes longer", () => {
		expect(option('quality')).toMatchObject({ type: 'options', default: 'medium' });
		expect(values('quality')).toEqual(['high', 'low', 'medium']);
		expect(option('quality').description).toMatch(/price does not change/);
		expect(option('quality').description).toMatch(/High takes longer: raise Timeout/);
		expect(option('quality').description).toMatch(/Wait for Completion off .*Get Task/);
	});

	it('offers Background Auto, Opaque and Transparent, saying Transparent needs PNG or WebP', () => {
		expect(option('background')).toMatchObject({ type: 'options', default: 'auto' });
		expect(values('background')).toEqual(['auto', 'opaque', 'transparent']);
		expect(option('background').description).toMatch(/PNG .*or WebP/);
	});

	it('shows the JPEG hint on Background only with Output Format JPEG; Background itself always shows', () => {
		const variants = options.filter((o) => o.name === 'background');
		const { hint, ...withJpeg } = variants.find((o) => o.hint) as INodeProperties;
		const { displayOptions: other, ...always } = variants.find((o) => !o.hint) as INodeProperties;
		expect(variants).toHaveLength(2);
		expect(hint).toMatch(/JPEG has no transparency: Transparent is refused/);
		expect(withJpeg.displayOptions).toEqual({ show: { outputFormat: ['jpeg'] } });
		expect(other).toEqual({ hide: { outputFormat: ['jpeg'] } });
		// The same option otherwise: n8n keeps its value whichever of the two shows.
		expect({ ...withJpeg, displayOptions: undefined }).toEqual({
			...always,
			displayOptions: undefined,
		});
	});
});
