import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { ROUTES } from '../../nodes/UniAllGptImage2/helpers/contract';
import { requestFormats } from '../../nodes/UniAllGptImage2/runState/formatMemory';
import type { ApiStyle } from '../../tools/stand-in/server.cjs';
import { credentialsFor } from '../helpers/credentials';
import { png } from '../helpers/imageBytes.cjs';
import { useStandIn } from '../helpers/standIn';
import { textToImageParams } from '../helpers/parameters';
import { runNode, type RunResult } from '../../tools/n8n/inProcess.cjs';

/**
 * Request Format (uniall / openai / auto) against both stand-in styles: the UniAll article's body
 * and the strictly OpenAI-compatible one. The node must give the same images, cost and items in
 * both, and `auto` must never bill twice.
 */
const api = useStandIn({ mode: 'sync-url', latencyMs: 0 });
// Auto remembers formats per Base URL for the life of the process; each test starts as a fresh n8n.
beforeEach(() => requestFormats.clear());

const STYLES: ApiStyle[] = ['uniall', 'openai'];

/** 2 images of 16:9 at 2K per row unless `extra` says otherwise. */
const textToImage = (extra: IDataObject = {}, options: IDataObject = {}) =>
	textToImageParams(options, { aspectRatio: '16:9', resolution: '2K', numImages: 2, ...extra });

const rows = (n: number, prompt = (i: number) => `row ${i + 1}: a lighthouse at dusk`) =>
	Array.from({ length: n }, (_, i) => ({ json: { prompt: prompt(i) } }));

const posts = () => api.log.filter((e) => e.route === 'generations');
/** What a downstream node sees, minus what differs per request (URLs, task ids) and the format used. */
const comparable = (items: INodeExecutionData[]) =>
	items.map(({ json }) => {
		const rest = { ...json };
		// fileName names the execution: two runs differ by design (unit/fileNames.test.ts).
		for (const key of ['imageUrl', 'taskId', 'requestFormat', 'executionCost', 'fileName'])
			delete rest[key];
		return rest;
	});

async function runIn(style: ApiStyle, options: Parameters<typeof runNode>[0]): Promise<RunResult> {
	api.configure({ apiStyle: style });
	return await runNode({ credentials: credentialsFor(api.url), ...options });
}

describe.each(STYLES)('against the %s stand-in style', (style) => {
	const extraPosts = style === 'openai' ? 1 : 0;

	it('text to image, 2 images at 2K 16:9: documented size, list price, requestFormat on every item', async () => {
		const { items, error, readBinary } = await runIn(style, {
			items: rows(1),
			parameters: textToImage(),
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(2);
		for (const item of items) {
			expect(item.json).toMatchObject({
				width: 1920,
				height: 1080,
				cost: 0.05576,
				requestCost: 0.11152,
				requestFormat: style,
				resolution: '2K',
				aspectRatio: '16:9',
			});
			expect(item.json.notice).toBeUndefined();
			expect(api.fileBytes(item.json.imageUrl as string)?.equals(await readBinary(item))).toBe(
				true,
			);
		}
		// auto: the UniAll body first; the OpenAI style refuses it and gets the OpenAI body once.
		expect(posts().map((e) => [e.path, e.status])).toEqual(
			style === 'uniall'
				? [[ROUTES.generations, 200]]
				: [
						[ROUTES.generations, 400],
						[ROUTES.generations, 200],
					],
		);
		expect(posts().pop()?.body).toEqual(
			style === 'uniall'
				? {
						model: 'gpt-image-2-origin',
						generation_mode: 'text_to_image',
						prompt: 'row 1: a lighthouse at dusk',
						aspect_ratio: '16:9',
						resolution: '2K',
						num_images: 2,
					}
				: {
						model: 'gpt-image-2-origin',
						prompt: 'row 1: a lighthouse at dusk',
						size: '1920x1080',
						n: 2,
						response_format: 'url',
					},
		);
		// Billed once: one job, whatever the number of POSTs.
		expect(api.count('generations', { accepted: true })).toBe(1);
	});

	it('image to image with a URL and a binary reference', async () => {
		const photo = png(64, 48, 90);
		const { items, error } = await runIn(style, {
			items: [
				{
					json: { prompt: 'the product on a beach' },
					binary: { data: { data: photo, mimeType: 'image/png' } },
				},
			],
			parameters: {
				...textToImage({
					operation: 'imageToImage',
					aspectRatio: '1:1',
					resolution: '1K',
					numImages: 1,
				}),
				referenceImages: {
					image: [
						{ source: 'url', url: 'https://cdn.example.com/style.png' },
						{ source: 'binary', binaryPropertyName: 'data' },
					],
				},
			},
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({
			operation: 'imageToImage',
			width: 1024,
			height: 1024,
			cost: 0.01836,
			requestFormat: style,
		});
		const refs = [
			'https://cdn.example.com/style.png',
			`data:image/png;base64,${photo.toString('base64')}`,
		];
		const last = posts().pop();
		if (style === 'uniall') {
			expect(last).toMatchObject({
				path: ROUTES.generations,
				body: { generation_mode: 'image_to_image', image_url: refs },
			});
		} else {
			expect(last).toMatchObject({
				path: ROUTES.edits,
				body: {
					model: 'gpt-image-2-origin',
					prompt: 'the product on a beach',
					images: refs,
					size: '1024x1024',
					n: 1,
					response_format: 'url',
				},
			});
		}
		expect(api.count('generations')).toBe(1 + extraPosts);
		expect(api.count('generations', { accepted: true })).toBe(1);
	});

	it('the first wave goes out at once: no row waits for another row to be generated', async () => {
		// Each job takes 2 s (long enough that the check below does not hinge on how busy the test
		// machine is); a refusal for the format is answered at once (no job is made).
		const latencyMs = 2000;
		api.configure({ mode: 'sync-url', latencyMs });
		const { items, error } = await runIn(style, {
			items: rows(8),
			parameters: textToImage({ numImages: 1, resolution: '1K' }, { concurrency: 8 }),
		});
		expect(error).toBeUndefined();
		expect(items.map((i) => i.json.requestFormat)).toEqual(Array(8).fill(style));
		const jobs = posts().filter((e) => e.accepted);
		expect(jobs).toHaveLength(8);
		// Every row's job was created before the first job could have been finished.
		const firstPost = Math.min(...posts().map((e) => e.at));
		expect(Math.max(...jobs.map((e) => e.at)) - firstPost).toBeLessThan(latencyMs);
		// Only the rows in flight before UniAll's first answer can have sent the refused format.
		expect(api.count('generations', { status: 400 })).toBeLessThanOrEqual(extraPosts * 8);
	});

	it('24 rows at concurrency 4, run twice: refused requests at most the concurrency, none in the second run, each row billed once', async () => {
		api.configure({ mode: 'async', latencyMs: 30 });
		const parameters = textToImage({ numImages: 1, resolution: '1K' }, { concurrency: 4 });
		const first = await runIn(style, { items: rows(24), parameters });
		expect(first.error).toBeUndefined();
		expect(first.items.map((i) => i.json.requestFormat)).toEqual(Array(24).fill(style));
		expect(first.items.map((i) => i.pairedItem)).toEqual(first.items.map((_, item) => ({ item })));
		const refused = api.count('generations', { status: 400 });
		if (style === 'uniall') expect(refused).toBe(0);
		else expect([1, 2, 3, 4]).toContain(refused);
		expect(api.count('generations', { method: 'POST' })).toBe(24 + refused);
		expect(api.count('generations', { accepted: true })).toBe(24);

		// A second run in the same n8n process remembers the format of this Base URL.
		const second = await runIn(style, { items: rows(24), parameters });
		expect(second.error).toBeUndefined();
		expect(second.items.map((i) => i.json.requestFormat)).toEqual(Array(24).fill(style));
		expect(api.count('generations', { status: 400 })).toBe(refused);
		expect(api.count('generations', { method: 'POST' })).toBe(48 + refused);
		// Billed once per row: 48 jobs of one 1K image, and the items' cost adds up to them.
		expect(api.count('generations', { accepted: true })).toBe(48);
		const cost = [...first.items, ...second.items].reduce((sum, i) => sum + Number(i.json.cost), 0);
		expect(cost).toBeCloseTo(48 * 0.01836, 10);
	});

	it('a content-policy 400 is reported and never resent, not even in the other format', async () => {
		// The refusal comes first, before anything told the node which format the API speaks.
		api.inject({ route: 'generations', kind: 'status', status: 400 });
		const { error } = await runIn(style, { items: rows(1), parameters: textToImage() });
		expect(error?.message).toBe("The prompt was rejected by UniAll's content policy [item 0]");
		expect(api.count('generations')).toBe(1);
		expect(api.count('generations', { accepted: true })).toBe(0);
	});

	it("a content-policy 400 from the API's own check (magic prompt) is not resent either", async () => {
		const { items } = await runIn(style, {
			continueOnFail: true,
			items: [
				{ json: { prompt: 'a fine prompt' } },
				{ json: { prompt: 'a bad one [fail:policy]' } },
			],
			parameters: textToImage({ numImages: 1 }, { concurrency: 1 }),
		});
		expect(items.map((i) => i.json.error ?? i.json.requestFormat)).toEqual([
			style,
			"The prompt was rejected by UniAll's content policy [item 1]",
		]);
		// Row 1 settled the format; row 2 sent once, in that format.
		expect(posts().map((e) => e.status)).toEqual(style === 'uniall' ? [200, 400] : [400, 200, 400]);
	});

	it('a bad-prompt 400 is reported and never resent', async () => {
		api.inject({
			route: 'generations',
			kind: 'status',
			status: 400,
			code: 'invalid_value',
			message: 'prompt is too long: 40000 characters, the limit is 32000.',
		});
		const { error } = await runIn(style, { items: rows(1), parameters: textToImage() });
		expect(error?.message).toBe(
			'UniAll refused the request: prompt is too long: 40000 characters, the limit is 32000. [item 0]',
		);
		expect(api.count('generations')).toBe(1);
	});

	it('produces the same images, cost and items as the other style', async () => {
		const params = textToImage({ aspectRatio: '9:16', resolution: '1K' });
		const here = await runIn(style, { items: rows(2), parameters: params });
		const there = await runIn(style === 'uniall' ? 'openai' : 'uniall', {
			items: rows(2),
			parameters: params,
		});
		expect(comparable(here.items)).toEqual(comparable(there.items));
		const bytes = async (run: RunResult) =>
			await Promise.all(run.items.map(async (item) => await run.readBinary(item)));
		expect((await bytes(here)).map((b) => b.toString('base64'))).toEqual(
			(await bytes(there)).map((b) => b.toString('base64')),
		);
	});

	it('the resend in the other format carries its own Idempotency-Key; a retry keeps its key', async () => {
		api.inject({ route: 'generations', kind: 'status', status: 429, retryAfter: 0 });
		const { error } = await runIn(style, {
			items: rows(1),
			parameters: textToImage({ numImages: 1 }),
		});
		expect(error).toBeUndefined();
		const keys = posts().map((e) => e.idempotencyKey);
		expect(keys).toHaveLength(2 + extraPosts);
		// The 429 retry is the same request with the same key.
		expect(keys[1]).toBe(keys[0]);
		if (style === 'openai') expect(keys[2]).not.toBe(keys[1]);
		expect(api.count('generations', { accepted: true })).toBe(1);
	});

	it('the budget guard counts a row once, whatever the number of POSTs', async () => {
		const { items } = await runIn(style, {
			continueOnFail: true,
			items: rows(2),
			parameters: textToImage({ numImages: 1 }, { maxCostPerExecution: 0.06, concurrency: 1 }),
		});
		expect(items[0].json).toMatchObject({
			cost: 0.05576,
			executionCost: 0.05576,
			requestFormat: style,
		});
		expect(items[1].json.error).toMatch(
			/^This row would cost \$0.05576 and bring the spend of this execution to \$0.11152.*\[item 1\]$/,
		);
		expect(api.count('generations', { accepted: true })).toBe(1);
	});

	it('Estimate Cost matches what a run in this format costs', async () => {
		const estimate = await runIn(style, {
			parameters: { operation: 'estimateCost', resolution: '2K', numImages: 2 },
		});
		const run = await runIn(style, { items: rows(1), parameters: textToImage() });
		expect(estimate.items[0].json.requestCost).toBe(run.items[0].json.requestCost);
	});

	it('submit now, Get Task later (async answers)', async () => {
		api.configure({ mode: 'async', latencyMs: 30 });
		const submitted = await runIn(style, {
			items: rows(1),
			parameters: textToImage({}, { waitForCompletion: false }),
		});
		expect(submitted.items[0].json).toMatchObject({
			done: false,
			requestFormat: style,
			estimatedCost: 0.11152,
		});
		await sleep(200);
		const fetched = await runIn(style, {
			items: [{ json: submitted.items[0].json }],
			parameters: {
				operation: 'getTask',
				taskId: '={{ $json.taskId }}',
				resolution: '={{ $json.resolution }}',
			},
		});
		expect(
			fetched.items.map((i) => [i.json.done, i.json.width, i.json.height, i.json.cost]),
		).toEqual([
			[true, 1920, 1080, 0.05576],
			[true, 1920, 1080, 0.05576],
		]);
	});
});

describe('pinned request formats', () => {
	it.each(STYLES)('%s pinned against the same style: one POST, no probe', async (style) => {
		const { items, error } = await runIn(style, {
			items: rows(3),
			parameters: textToImage({ numImages: 1 }, { requestFormat: style }),
		});
		expect(error).toBeUndefined();
		expect(items.map((i) => i.json.requestFormat)).toEqual([style, style, style]);
		expect(api.count('generations')).toBe(3);
	});

	it.each([
		[
			'uniall',
			'openai',
			'UniAll refused the request (field "generation_mode"): Unknown parameter: \'generation_mode\'. [item 0]',
		],
		[
			'openai',
			'uniall',
			'UniAll refused the request (field "size"): Unknown parameter: \'size\'. [item 0]',
		],
	] as Array<[ApiStyle, ApiStyle, string]>)(
		'%s pinned against the %s style fails once, and says to try Auto',
		async (format, style, message) => {
			const { error } = await runIn(style, {
				items: rows(2),
				parameters: textToImage({ numImages: 1 }, { requestFormat: format, concurrency: 1 }),
			});
			expect(error?.message).toBe(message);
			expect(error?.description).toMatch(
				new RegExp(
					`Request Format is set to "${format}"; if UniAll speaks the other format, set Request Format to Auto\\.$`,
				),
			);
			expect(api.count('generations')).toBe(1);
		},
	);

	it('openai refuses 4:5 at 4K before any call, naming the row, the field and the sizes that exist', async () => {
		const { error } = await runIn('openai', {
			items: rows(1),
			parameters: textToImage(
				{ aspectRatio: '4:5', resolution: '4K', numImages: 1 },
				{ requestFormat: 'openai' },
			),
		});
		expect(error?.message).toMatch(
			/^Aspect Ratio 4:5 at Resolution 4K has no documented size in the OpenAI-compatible request format\. 4:5 exists at 1K \(1024x1280\) and 2K \(2048x2560\); at 4K the sizes are 1:1 2048x2048, 16:9 3840x2160.*\[item 0\]$/,
		);
		expect(error?.description).toBe(
			'Check the "Aspect Ratio" parameter of the node for this item. Nothing was sent to UniAll.',
		);
		expect(api.count('generations')).toBe(0);
	});

	it("under auto, 4:5 at 4K where only the OpenAI-compatible format is spoken: UniAll's refusal, with why, and no second POST", async () => {
		const { error } = await runIn('openai', {
			items: rows(1),
			parameters: textToImage({ aspectRatio: '4:5', resolution: '4K', numImages: 1 }),
		});
		expect(error?.message).toBe(
			'UniAll refused the request (field "generation_mode"): Unknown parameter: \'generation_mode\'. [item 0]',
		);
		expect(error?.description).toMatch(
			/UniAll does not take the UniAll request format, and Aspect Ratio 4:5 at Resolution 4K has no documented size in the OpenAI-compatible one\. Choose another Aspect Ratio or Resolution\.$/,
		);
		expect(api.count('generations')).toBe(1);
	});

	it('under auto, 4:5 at 4K works where the UniAll format is spoken (no documented size: no tier notice)', async () => {
		const { items, error } = await runIn('uniall', {
			items: rows(1),
			parameters: textToImage(
				{ aspectRatio: '4:5', resolution: '4K', numImages: 1 },
				{ downloadImages: true },
			),
		});
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({
			width: 3072,
			height: 3840,
			cost: 0.11424,
			requestFormat: 'uniall',
		});
		expect(items[0].json.notice).toBeUndefined();
	});
});

describe('what Auto remembers between runs of the same n8n process', () => {
	const parameters = (options: IDataObject = {}) =>
		textToImage({ numImages: 1, resolution: '1K' }, { concurrency: 4, ...options });
	const refusals = () => api.count('generations', { status: 400 });

	it('UniAll changes its API: the remembered format is refused once per row in flight, then the new one is remembered', async () => {
		api.configure({ mode: 'async', latencyMs: 30 });
		await runIn('openai', { items: rows(4), parameters: parameters() });
		const before = refusals();
		const changed = await runIn('uniall', { items: rows(12), parameters: parameters() });
		expect(changed.error).toBeUndefined();
		expect(changed.items.map((i) => i.json.requestFormat)).toEqual(Array(12).fill('uniall'));
		const refusedNow = refusals() - before;
		expect([1, 2, 3, 4]).toContain(refusedNow);
		// The refused requests were OpenAI-compatible bodies, each row's job made once.
		expect(
			posts()
				.filter((e) => e.status === 400)
				.slice(-refusedNow),
		).toEqual(
			Array(refusedNow).fill(
				expect.objectContaining({ body: expect.objectContaining({ size: '1360x768' }) }),
			),
		);
		expect(api.count('generations', { accepted: true })).toBe(16);
		const again = await runIn('uniall', { items: rows(12), parameters: parameters() });
		expect(again.error).toBeUndefined();
		expect(refusals() - before).toBe(refusedNow);
		expect(api.count('generations', { accepted: true })).toBe(28);
	});

	it('a pinned format neither reads nor teaches the memory', async () => {
		api.configure({ mode: 'async', latencyMs: 30 });
		await runIn('openai', { items: rows(1), parameters: parameters() }); // remembers openai
		const pinned = await runIn('uniall', {
			items: rows(3),
			parameters: parameters({ requestFormat: 'uniall' }),
		});
		expect(pinned.items.map((i) => i.json.requestFormat)).toEqual(['uniall', 'uniall', 'uniall']);
		expect(refusals()).toBe(1); // the first run's, none from the pinned one

		requestFormats.clear();
		await runIn('openai', { items: rows(2), parameters: parameters({ requestFormat: 'openai' }) });
		expect(refusals()).toBe(1);
		// Nothing was learned from the pinned run: Auto starts with the UniAll format again.
		const auto = await runIn('openai', { items: rows(1), parameters: parameters() });
		expect(auto.items[0].json.requestFormat).toBe('openai');
		expect(refusals()).toBe(2);
	});

	it('a content-policy refusal teaches nothing and is never resent', async () => {
		const bad = await runIn('openai', {
			continueOnFail: true,
			items: [{ json: { prompt: 'a bad one [fail:policy]' } }],
			parameters: parameters(),
		});
		expect(bad.items[0].json.error).toBe(
			"The prompt was rejected by UniAll's content policy [item 0]",
		);
		// Refused for the format first, then for the prompt in the OpenAI-compatible one: not resent.
		expect(posts().map((e) => e.status)).toEqual([400, 400]);
		const good = await runIn('openai', { items: rows(2), parameters: parameters() });
		expect(good.items.map((i) => i.json.requestFormat)).toEqual(['openai', 'openai']);
		// The format refusal taught the format; the content-policy refusal did not unteach it.
		expect(posts().map((e) => e.status)).toEqual([400, 400, 200, 200]);
	});
});

describe('an API that refuses both formats', () => {
	it('gets each format once per row and an error that reports both refusals', async () => {
		api.configure({ apiStyle: 'uniall' });
		// The first UniAll body is refused as unknown; the OpenAI body is unknown to the UniAll style anyway.
		api.inject({
			route: 'generations',
			kind: 'status',
			status: 400,
			code: 'unknown_parameter',
			message: "Unknown parameter: 'aspect_ratio'.",
		});
		const { error } = await runNode({
			credentials: credentialsFor(api.url),
			items: rows(1),
			parameters: textToImage({ numImages: 1 }),
		});
		expect(error?.message).toBe(
			'UniAll refused the request (field "size"): Unknown parameter: \'size\'. [item 0]',
		);
		expect(error?.description).toMatch(
			/UniAll refused the UniAll request format too: UniAll refused the request: Unknown parameter: 'aspect_ratio'\.$/,
		);
		expect(posts().map((e) => e.path)).toEqual([ROUTES.generations, ROUTES.generations]);
		expect(api.count('generations', { accepted: true })).toBe(0);
	});
});

describe('a delivered size from another tier', () => {
	it('is reported as delivered, with a notice; the cost stays the requested tier price', async () => {
		// A gateway that answers a 2K request with a 1K picture: the answer's URL points at a 1K file.
		api.configure({ apiStyle: 'uniall' });
		const small = await runNode({
			credentials: credentialsFor(api.url),
			items: rows(1),
			parameters: textToImage({ aspectRatio: '1:1', resolution: '1K', numImages: 1 }),
		});
		api.configure({ extraAnswerFields: { data: [{ url: small.items[0].json.imageUrl }] } });
		const { items, error } = await runNode({
			credentials: credentialsFor(api.url),
			items: rows(1),
			parameters: textToImage({ aspectRatio: '1:1', resolution: '2K', numImages: 1 }),
		});
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({
			width: 1024,
			height: 1024,
			resolution: '2K',
			cost: 0.05576,
			notice: 'UniAll delivered 1024x1024, a 1K size, for a 2K request.',
		});
	});
});

describe("issue 26 item 9: Auto's memory is per Base URL, model and mode", () => {
	it('two nodes on one credential, one with Model gpt-image-2 (size only), do not flip it every run', async () => {
		const { hostileServer, sendJson } = await import('../helpers/hostileServer.cjs');
		let base = '';
		const server = await hostileServer((req, res) => {
			if (req.path.startsWith('/files/')) {
				const bytes = png(1024, 1024, 40);
				res.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': bytes.length });
				return res.end(bytes);
			}
			const body = JSON.parse(req.body) as IDataObject;
			// As UniAll documents: gpt-image-2 takes `size`, not `aspect_ratio`; the default model
			// takes the UniAll body here.
			const wants = body.model === 'gpt-image-2' ? 'size' : 'aspect_ratio';
			if (body[wants] === undefined)
				return sendJson(res, 400, {
					error: { message: `${wants} is required`, param: wants, code: 'missing_parameter' },
				});
			sendJson(res, 200, { data: [{ url: `${base}/files/result.png` }] });
		});
		base = server.url;
		const refusedPerRun: number[] = [];
		try {
			for (const model of ['gpt-image-2', undefined, 'gpt-image-2', undefined]) {
				const before = server.log.filter((r) => r.method === 'POST').length;
				const { error, items } = await runNode({
					credentials: credentialsFor(server.url),
					items: rows(1),
					parameters: textToImage({ numImages: 1, resolution: '1K' }, model ? { model } : {}),
				});
				expect(error).toBeUndefined();
				expect(items).toHaveLength(1);
				refusedPerRun.push(server.log.filter((r) => r.method === 'POST').length - before - 1);
			}
		} finally {
			await server.close();
		}
		expect(refusedPerRun).toEqual([1, 0, 0, 0]);
	});
});
