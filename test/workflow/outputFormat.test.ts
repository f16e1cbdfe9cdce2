import type { IDataObject } from 'n8n-workflow';

import { sniffImage } from '../../nodes/UniAllGptImage2/helpers/imageInfo';
import type { ApiStyle } from '../../tools/stand-in/server.cjs';
import { runNode } from '../../tools/n8n/inProcess.cjs';
import { credentialsFor } from '../helpers/credentials';
import { textToImageParams } from '../helpers/parameters';
import { useStandIn } from '../helpers/standIn';

/**
 * Output Format / Output Compression in real n8n executions, against both stand-in styles: what
 * is sent, what n8n stores (bytes, file name, MIME type), refusals and a gateway that ignores
 * the format. 1K 1:1 keeps the images small where their size is not the point.
 */
const api = useStandIn({ mode: 'sync-url', latencyMs: 0 });

const STYLES: ApiStyle[] = ['uniall', 'openai'];
const posts = () => api.log.filter((e) => e.route === 'generations');
const params = (options: IDataObject = {}, extra: IDataObject = {}) =>
	textToImageParams(options, { aspectRatio: '1:1', resolution: '1K', numImages: 1, ...extra });
const oneRow = [{ json: { prompt: 'a red bicycle' } }];

async function run(style: ApiStyle, options: IDataObject, extra: IDataObject = {}) {
	api.configure({ apiStyle: style });
	return await runNode({
		credentials: credentialsFor(api.url),
		items: oneRow,
		parameters: params({ requestFormat: style, ...options }, extra),
	});
}

describe.each(STYLES)('%s request format', (style) => {
	it('without the options sends exactly the body sent before them', async () => {
		const { error } = await run(style, {});
		expect(error).toBeUndefined();
		expect(posts().map((e) => e.body)).toEqual([
			style === 'uniall'
				? {
						model: 'gpt-image-2-origin',
						generation_mode: 'text_to_image',
						prompt: 'a red bicycle',
						aspect_ratio: '1:1',
						resolution: '1K',
						num_images: 1,
					}
				: {
						model: 'gpt-image-2-origin',
						prompt: 'a red bicycle',
						size: '1024x1024',
						n: 1,
						response_format: 'url',
					},
		]);
	});

	it.each([
		['jpeg', 'image/jpeg', 'jpg'],
		['webp', 'image/webp', 'webp'],
		['png', 'image/png', 'png'],
	])(
		'Output Format %s: n8n stores a %s file named .%s, sized from its bytes',
		async (format, mimeType, extension) => {
			const compression = format === 'png' ? {} : { outputCompression: 80 };
			const { items, error, readBinary } = await run(style, {
				outputFormat: format,
				...compression,
			});
			expect(error).toBeUndefined();
			expect(posts()).toHaveLength(1);
			expect(posts()[0].body).toMatchObject({
				output_format: format,
				...(format === 'png' ? {} : { output_compression: 80 }),
			});
			const [item] = items;
			const bytes = await readBinary(item);
			expect(sniffImage(bytes)).toMatchObject({ mimeType, width: 1024, height: 1024 });
			expect(item.json).toMatchObject({
				mimeType,
				width: 1024,
				height: 1024,
				fileSize: bytes.length,
				fileName: expect.stringMatching(new RegExp(`-item0-0\\.${extension}$`)),
				cost: 0.01836,
			});
			expect(item.json).not.toHaveProperty('notice');
			expect(item.binary?.data).toMatchObject({
				mimeType,
				fileName: expect.stringMatching(new RegExp(`-item0-0\\.${extension}$`)),
			});
			expect(item.json.imageUrl).toMatch(new RegExp(`\\.${extension}$`));
		},
	);

	it('a refused Output Format fails the row before anything is billed, naming the option', async () => {
		api.configure({ refuseFields: ['output_format'] });
		const { error, items } = await run(style, { outputFormat: 'jpeg' });
		expect(items).toHaveLength(0);
		expect(error?.description).toMatch(
			/UniAll refused the Output Format option \("jpeg"\).*nothing was generated or billed\. Remove Output Format/,
		);
		expect(api.count('generations', { accepted: true })).toBe(0);
		expect(posts()).toHaveLength(1);
	});
});

describe('Auto request format', () => {
	it('tries the OpenAI-compatible body once when the UniAll one is refused for output_format, and says both refused it', async () => {
		api.configure({ apiStyle: 'uniall', refuseFields: ['output_compression'] });
		const { error } = await runNode({
			credentials: credentialsFor(api.url),
			items: [...oneRow, { json: { prompt: 'a blue bicycle' } }],
			parameters: params({ outputFormat: 'webp', outputCompression: 70, concurrency: 1 }),
		});
		expect(error?.description).toMatch(
			/refused the Output Compression option \(70\) in the UniAll and the OpenAI-compatible request formats.*Remove Output Compression/,
		);
		expect(api.count('generations', { accepted: true })).toBe(0);
		// The first row is refused in both bodies; the run stops there (no Continue On Fail).
		expect(posts().map((e) => Object.keys(e.body as object).includes('size'))).toEqual([
			false,
			true,
		]);
	});

	it('falls back to the OpenAI-compatible body where UniAll documents output_format, billed once', async () => {
		// The OpenAI-style stand-in refuses the UniAll body (its fields), then accepts the format.
		api.configure({ apiStyle: 'openai' });
		const { items, error } = await runNode({
			credentials: credentialsFor(api.url),
			items: oneRow,
			parameters: params({ outputFormat: 'jpeg', outputCompression: 85 }),
		});
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ mimeType: 'image/jpeg', requestFormat: 'openai' });
		expect(posts().map((e) => e.status)).toEqual([400, 200]);
		expect(api.count('generations', { accepted: true })).toBe(1);
	});
});

describe('a gateway that ignores Output Format', () => {
	it('hands the PNG on as it is, named .png, with a notice; the cost stays the tier price', async () => {
		api.configure({ ignoreOutputFormat: true });
		const { items, error, readBinary } = await run('uniall', { outputFormat: 'jpeg' });
		expect(error).toBeUndefined();
		const [item] = items;
		expect(sniffImage(await readBinary(item))?.mimeType).toBe('image/png');
		expect(item.json).toMatchObject({
			mimeType: 'image/png',
			fileName: expect.stringMatching(/^gpt-image-2-.+-item0-0\.png$/),
			cost: 0.01836,
			requestCost: 0.01836,
		});
		expect(item.json.notice).toMatch(/Output Format was JPEG, but UniAll delivered image\/png/);
	});
});

describe('with the other operations and options', () => {
	it('Get Task delivers the JPEG of a task submitted without waiting', async () => {
		api.configure({ mode: 'async', latencyMs: 0 });
		const submitted = await run('uniall', { outputFormat: 'jpeg', waitForCompletion: false });
		expect(submitted.error).toBeUndefined();
		const taskId = submitted.items[0].json.taskId as string;
		const { items, error } = await runNode({
			credentials: credentialsFor(api.url),
			parameters: { operation: 'getTask', taskId },
		});
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ mimeType: 'image/jpeg', cost: 0.01836 });
		expect(items[0].binary?.data.fileName).toMatch(/\.jpg$/);
	});

	it('the budget guard counts a JPEG row at the tier price', async () => {
		const { error } = await run('uniall', { outputFormat: 'jpeg', maxCostPerExecution: 0.01 });
		expect(error?.message).toMatch(/Max Cost per Execution/i);
		expect(posts()).toHaveLength(0);
	});
});

describe('issue 26 items 7 and 8: an output refusal under Auto', () => {
	it('item 7: teaches Auto nothing: the next run without Output Format sends no refused POST', async () => {
		api.configure({ apiStyle: 'uniall', refuseFields: ['output_format'] });
		const refused = await runNode({
			credentials: credentialsFor(api.url),
			items: oneRow,
			parameters: params({ outputFormat: 'jpeg' }),
			continueOnFail: true,
		});
		expect(String(refused.items[0].json.error)).toMatch(/refused/);
		const before = api.count('generations', { status: 400 });
		const next = await runNode({
			credentials: credentialsFor(api.url),
			items: [1, 2, 3, 4].map((i) => ({ json: { prompt: `row ${i}` } })),
			parameters: params({ concurrency: 4 }),
		});
		expect(next.error).toBeUndefined();
		expect(next.items.map((item) => item.json.requestFormat)).toEqual(Array(4).fill('uniall'));
		expect(api.count('generations', { status: 400 }) - before).toBe(0);
	});

	it('item 8: when the other body is refused for its format, the error explains the Output Format refusal', async () => {
		const { hostileServer, sendJson } = await import('../helpers/hostileServer.cjs');
		const server = await hostileServer((req, res) => {
			const body = JSON.parse(req.body) as IDataObject;
			const field = body.size !== undefined ? 'size' : 'output_format';
			sendJson(res, 400, {
				error: {
					message: `Unknown parameter: '${field}'.`,
					param: field,
					code: 'unknown_parameter',
				},
			});
		});
		try {
			const { error } = await runNode({
				credentials: credentialsFor(server.url),
				items: oneRow,
				parameters: params({ outputFormat: 'jpeg' }),
			});
			expect(error?.description).toMatch(/Remove Output Format/);
			expect(`${error?.message}`).not.toMatch(/size/);
			expect(server.count('POST')).toBe(2);
		} finally {
			await server.close();
		}
	});
});
