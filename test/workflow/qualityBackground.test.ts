import type { IDataObject } from 'n8n-workflow';

import { sniffImage } from '../../nodes/UniAllGptImage2/helpers/imageInfo';
import type { ApiStyle } from '../../tools/stand-in/server.cjs';
import { runNode } from '../../tools/n8n/inProcess.cjs';
import { credentialsFor } from '../helpers/credentials';
import { imageToImageParams, textToImageParams } from '../helpers/parameters';
import { useStandIn } from '../helpers/standIn';

/**
 * Quality and Background in real n8n executions, against both stand-in styles: what is sent, what
 * n8n stores (a transparent PNG or WebP), the refusals (Transparent with JPEG before any request; a
 * gateway that refuses the field, unbilled) and a gateway that answers with an opaque image.
 */
const api = useStandIn({ mode: 'sync-url', latencyMs: 0 });

const STYLES: ApiStyle[] = ['uniall', 'openai'];
const posts = () => api.log.filter((e) => e.route === 'generations');
const oneRow = [{ json: { prompt: 'a desk lamp, product shot' } }];

async function run(style: ApiStyle, options: IDataObject, parameters?: IDataObject) {
	api.configure({ apiStyle: style });
	return await runNode({
		credentials: credentialsFor(api.url),
		items: oneRow,
		parameters: parameters ?? {
			...textToImageParams(
				{ requestFormat: style, ...options },
				{ aspectRatio: '1:1', resolution: '1K', numImages: 1 },
			),
		},
	});
}

describe.each(STYLES)('%s request format', (style) => {
	it('Quality is sent as quality; the image costs what it cost without it', async () => {
		const { items, error } = await run(style, { quality: 'high' });
		expect(error).toBeUndefined();
		expect(posts()).toHaveLength(1);
		expect(posts()[0].body).toMatchObject({ quality: 'high' });
		expect(posts()[0].body).not.toHaveProperty('background');
		expect(items[0].json).toMatchObject({ cost: 0.01836, requestFormat: style });
	});

	it.each([
		['png', 'image/png'],
		['webp', 'image/webp'],
	])(
		'Background Transparent with %s: n8n stores a %s with alpha, no notice',
		async (outputFormat, mimeType) => {
			const { items, error, readBinary } = await run(style, {
				background: 'transparent',
				outputFormat,
			});
			expect(error).toBeUndefined();
			expect(posts()[0].body).toMatchObject({
				background: 'transparent',
				output_format: outputFormat,
			});
			expect(posts()[0].body).not.toHaveProperty('quality');
			const bytes = await readBinary(items[0]);
			expect(sniffImage(bytes)).toMatchObject({ mimeType, hasAlpha: true });
			expect(items[0].json).toMatchObject({ mimeType, cost: 0.01836 });
			expect(items[0].json).not.toHaveProperty('notice');
		},
	);

	it('a gateway that answers Transparent with an opaque image: handed on, same price, with a notice', async () => {
		api.configure({ ignoreBackground: true });
		const { items, error, readBinary } = await run(style, { background: 'transparent' });
		expect(error).toBeUndefined();
		expect(sniffImage(await readBinary(items[0]))).toMatchObject({ hasAlpha: false });
		expect(items[0].json).toMatchObject({ mimeType: 'image/png', cost: 0.01836 });
		expect(items[0].json.notice).toMatch(
			/Background was Transparent, .*came back opaque.*same price/,
		);
		expect(api.count('generations', { accepted: true })).toBe(1);
	});

	it('Transparent with Output Format JPEG fails the row before any request, naming both options', async () => {
		const { items, error } = await run(style, { background: 'transparent', outputFormat: 'jpeg' });
		expect(items).toHaveLength(0);
		expect(error?.message).toMatch(/Background Transparent .*Output Format JPEG/);
		expect(error?.description).toMatch(/"Background" parameter .*Nothing was sent to UniAll/);
		expect(posts()).toHaveLength(0);
	});

	it.each([
		['quality', { quality: 'high' }, 'Quality', '"high"'],
		['background', { background: 'opaque' }, 'Background', '"opaque"'],
	])(
		'a gateway refusing %s: the row fails before anything is billed, naming the option',
		async (field, options, option, value) => {
			api.configure({ refuseFields: [field] });
			const { items, error } = await run(style, options);
			expect(items).toHaveLength(0);
			expect(error?.description).toContain(`UniAll refused the ${option} option (${value})`);
			expect(error?.description).toMatch(
				new RegExp(`nothing was generated or billed\\. Remove ${option} from the node's options`),
			);
			expect(api.count('generations', { accepted: true })).toBe(0);
			expect(posts()).toHaveLength(1);
		},
	);
});

describe('with the other operations and options', () => {
	it('Image to Image sends both fields (to /v1/images/edits in the OpenAI-compatible format)', async () => {
		const { error } = await run(
			'openai',
			{},
			imageToImageParams([{ source: 'url', url: 'https://cdn.example.com/lamp.jpg' }], {
				options: { requestFormat: 'openai', quality: 'low', background: 'transparent' },
			}),
		);
		expect(error).toBeUndefined();
		expect(posts()[0]).toMatchObject({
			path: '/v1/images/edits',
			body: { quality: 'low', background: 'transparent' },
		});
	});

	it('Auto: a refused Quality is named and nothing is billed', async () => {
		api.configure({ apiStyle: 'uniall', refuseFields: ['quality'] });
		const { error } = await runNode({
			credentials: credentialsFor(api.url),
			items: oneRow,
			parameters: textToImageParams({ quality: 'medium' }, { aspectRatio: '1:1' }),
		});
		expect(error?.description).toMatch(/UniAll refused the Quality option \("medium"\)/);
		expect(api.count('generations', { accepted: true })).toBe(0);
	});

	it('the budget guard counts a High-quality row at the tier price', async () => {
		const { error } = await run('uniall', { quality: 'high', maxCostPerExecution: 0.01 });
		expect(error?.message).toMatch(/Max Cost per Execution/i);
		expect(posts()).toHaveLength(0);
	});
});
