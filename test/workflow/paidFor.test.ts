/**
 * Nothing paid for is lost, and every failure goes where n8n routes it (issue 10, parts 1, 5, 6):
 * error items leave by n8n's error output, images that arrived are handed on even when a sibling
 * download fails, and jobs that may exist stay counted against the budget and are named in errors.
 */
import type { INodeExecutionData } from 'n8n-workflow';

import { useStandIn } from '../helpers/standIn';
import { credentialsFor } from '../helpers/credentials';
import { runNode } from '../../tools/n8n/inProcess.cjs';
import { textToImageParams } from '../helpers/parameters';

const api = useStandIn({ mode: 'async', latencyMs: 30 });

const generate = textToImageParams;
const rows = (...prompts: string[]) => prompts.map((prompt) => ({ json: { prompt } }));
const totalCost = (items: INodeExecutionData[]) =>
	Math.round(items.reduce((sum, i) => sum + Number(i.json.cost ?? 0), 0) * 1e5) / 1e5;
const imageUrls = (status: number) =>
	api.log
		.filter((e) => e.route === 'image' && e.status === status)
		.map((e) => `${api.url}${e.path}`);

describe('On Error: Continue (using error output)', () => {
	it('sends a failed row to the error output with pairedItem; the success output holds images only', async () => {
		const { outputs, error } = await runNode({
			credentials: credentialsFor(api.url),
			onError: 'continueErrorOutput',
			items: rows('row one', 'bad [fail:policy]', 'row three'),
			parameters: generate(),
		});
		expect(error).toBeUndefined();
		const [images, failed] = outputs;
		expect(images.map((i) => [i.json.prompt, i.pairedItem, Boolean(i.binary?.data)])).toEqual([
			['row one', { item: 0 }, true],
			['row three', { item: 2 }, true],
		]);
		expect(failed).toHaveLength(1);
		expect(failed[0].pairedItem).toEqual({ item: 1 });
		// n8n merges the input row into the error item; `message` and `error` say what happened.
		expect(failed[0].json).toEqual({
			prompt: 'bad [fail:policy]',
			message: "The prompt was rejected by UniAll's content policy [item 1]",
			error: {
				message: "The prompt was rejected by UniAll's content policy [item 1]",
				description: expect.stringMatching(/Rephrase the prompt/),
				reason: 'content_policy',
				httpCode: '400',
			},
		});
	});

	it('Continue (using regular output) keeps the error fields in the JSON of the success output', async () => {
		const { outputs } = await runNode({
			credentials: credentialsFor(api.url),
			onError: 'continueRegularOutput',
			items: rows('row one', 'bad [fail:policy]'),
			parameters: generate(),
		});
		expect(outputs).toHaveLength(1);
		const [, failed] = outputs[0];
		expect(failed.json).toEqual({
			error: "The prompt was rejected by UniAll's content policy [item 1]",
			errorDescription: expect.stringMatching(/Rephrase the prompt/),
			errorReason: 'content_policy',
			httpCode: '400',
		});
		expect(failed.pairedItem).toEqual({ item: 1 });
	});
});

describe('a multi-image row where one download fails', () => {
	beforeEach(() => {
		api.configure({ mode: 'sync-url', latencyMs: 0 });
		// Downloads of one row run in order: the first of the three images is refused by its host.
		api.inject({ route: 'image', kind: 'status', status: 404 });
	});

	it('hands on the images that arrived and reports the lost one (URL, reason, billed, cost)', async () => {
		const { items, error } = await runNode({
			credentials: credentialsFor(api.url),
			continueOnFail: true,
			items: rows('three of them'),
			parameters: generate({}, { numImages: 3 }),
		});
		expect(error).toBeUndefined();
		const [lostUrl] = imageUrls(404);
		expect(items.map((i) => (i.json.error ? 'error' : 'image'))).toEqual([
			'image',
			'image',
			'error',
		]);
		expect(items.slice(0, 2).map((i) => [i.json.imageIndex, Boolean(i.binary?.data)])).toEqual([
			[1, true],
			[2, true],
		]);
		const lost = items[2];
		expect(lost.pairedItem).toEqual({ item: 0 });
		expect(lost.json).toMatchObject({
			imageUrl: lostUrl,
			imageIndex: 0,
			cost: 0.01836,
			billed: true,
		});
		expect(lost.json.error).toMatch(/^Image 1 of 3 was not handed on: .*HTTP 404.*\[item 0\]$/);
		expect(lost.json.errorDescription).toContain(lostUrl);
		expect(lost.json.errorDescription).toMatch(/billed/);
		// Summing cost over every output item gives what was billed: 3 images at 1K.
		expect(totalCost(items)).toBe(0.05508);
	});

	it('with the error output: images on output 0, the lost image on output 1, cost adds up over both', async () => {
		const { outputs } = await runNode({
			credentials: credentialsFor(api.url),
			onError: 'continueErrorOutput',
			items: rows('three of them'),
			parameters: generate({}, { numImages: 3 }),
		});
		const [images, failed] = outputs;
		expect(images).toHaveLength(2);
		expect(failed).toHaveLength(1);
		expect(failed[0].json.error).toMatchObject({
			imageUrl: imageUrls(404)[0],
			imageIndex: 0,
			billed: true,
			cost: 0.01836,
		});
		expect(failed[0].pairedItem).toEqual({ item: 0 });
		const lostCost = (failed[0].json.error as { cost: number }).cost;
		expect(totalCost([...images, { json: { cost: lostCost } }])).toBe(0.05508);
	});

	it('when the node fails as a whole, the error names the lost image and the images that arrived', async () => {
		const { error } = await runNode({
			credentials: credentialsFor(api.url),
			items: rows('three of them'),
			parameters: generate({}, { numImages: 3 }),
		});
		const [lostUrl] = imageUrls(404);
		const delivered = imageUrls(200);
		expect(delivered).toHaveLength(2);
		expect(error?.message).toMatch(/^Image 1 of 3 was not handed on.*\[item 0\]$/);
		expect(error?.description).toContain(lostUrl);
		for (const url of delivered) expect(error?.description).toContain(`${url} ($0.01836)`);
	});
});

describe('jobs that may exist stay counted and named', () => {
	it('polling that exhausts its retries names the task ID and keeps the reservation counted', async () => {
		api.inject({ route: 'task', kind: 'status', status: 502, times: 20 });
		const { items } = await runNode({
			credentials: credentialsFor(api.url),
			continueOnFail: true,
			items: rows('first', 'second'),
			// Room for one row only: the first row's job may still be billed.
			parameters: generate({ maxRetries: 1, maxCostPerExecution: 0.03, concurrency: 1 }),
		});
		const taskId = api.log.find((e) => e.route === 'generations')?.taskId;
		expect(taskId).toMatch(/^task_/);
		expect(items[0].json.error).toMatch(new RegExp(`^.*HTTP 502.*task ${taskId}.*\\[item 0\\]$`));
		expect(items[0].json.errorDescription).toContain(`Get Task operation and Task ID "${taskId}"`);
		expect(items[0].json.taskId).toBe(taskId);
		expect(items[1].json.error).toMatch(
			/^This row would cost \$0.01836 and bring the spend of this execution to \$0.03672.*\[item 1\]$/,
		);
		expect(api.count('generations')).toBe(1);
	});

	it('a connection dropped after UniAll accepted the job stays counted', async () => {
		api.inject({ route: 'generations', kind: 'accept-then-drop' });
		const { items } = await runNode({
			credentials: credentialsFor(api.url),
			continueOnFail: true,
			items: rows('dropped', 'second'),
			parameters: generate({ maxCostPerExecution: 0.03, concurrency: 1 }),
		});
		expect(items[0].json.error).toBe(
			'Could not reach UniAll for the generation request: the connection was dropped [item 0]',
		);
		expect(items[0].json.errorDescription).toMatch(/may have accepted/);
		expect(items[1].json.error).toMatch(/^This row would cost.*\[item 1\]$/);
		expect(api.count('generations', { accepted: true })).toBe(1);
	});
});

describe('what gives a reservation back', () => {
	const twoRows = async (first: string) =>
		await runNode({
			credentials: credentialsFor(api.url),
			continueOnFail: true,
			items: rows(first, 'second'),
			// Room for one row only: whether row 2 runs shows whether row 1 stayed counted.
			parameters: generate({ maxCostPerExecution: 0.03, concurrency: 1 }),
		});

	it.each([502, 504, 520, 524])(
		'a gateway %i on the creating POST keeps it counted (UniAll may have the job)',
		async (status) => {
			api.inject({ route: 'generations', kind: 'status', status });
			const { items } = await twoRows('first');
			expect(items[0].json.error).toMatch(new RegExp(`HTTP ${status}`));
			expect(items[0].json.errorDescription).toMatch(/may have accepted the job/);
			if (status === 524) expect(items[0].json.error).toMatch(/gave up waiting/);
			expect(items[1].json.error).toMatch(/^This row would cost.*\[item 1\]$/);
		},
	);

	it.each([
		[
			'UniAll answers 500',
			() => api.inject({ route: 'generations', kind: 'status', status: 500 }),
			'first',
		],
		['the task fails', () => undefined, 'first [fail:task]'],
	])('%s: nothing is billed, the reservation is given back', async (_case, arrange, prompt) => {
		arrange();
		const { items } = await twoRows(prompt);
		expect(items[0].json.error).toMatch(/^.*\[item 0\]$/);
		expect(items[1].json).toMatchObject({ cost: 0.01836, executionCost: 0.01836 });
	});
});

describe('without Continue On Fail, a failed row fails the node and names what was already paid for', () => {
	it('lists the finished rows with their image URLs and cost', async () => {
		api.configure({ mode: 'sync-url', latencyMs: 0 });
		const { error } = await runNode({
			credentials: credentialsFor(api.url),
			items: rows('row one', 'row two', 'bad [fail:policy]'),
			parameters: generate({ concurrency: 1 }),
		});
		expect(error?.message).toBe("The prompt was rejected by UniAll's content policy [item 2]");
		const urls = imageUrls(200);
		expect(urls).toHaveLength(2);
		// n8n's editor renders the description as HTML: one line per item, and the total, with the
		// item numbers n8n shows ("[item 2]" for the third row).
		expect(error?.description).toContain(
			`<br>Item 0: ${urls[0]} ($0.01836)<br>Item 1: ${urls[1]} ($0.01836)<br>Total: $0.03672`,
		);
		expect(error?.description).not.toContain('\n');
	});

	it('lists submitted tasks (Wait for Completion off) with their task IDs', async () => {
		const { error } = await runNode({
			credentials: credentialsFor(api.url),
			items: rows('row one', 'bad [fail:policy]'),
			parameters: generate({ concurrency: 1, waitForCompletion: false }),
		});
		const taskId = api.log.find((e) => e.route === 'generations' && e.accepted)?.taskId;
		expect(error?.message).toBe("The prompt was rejected by UniAll's content policy [item 1]");
		expect(error?.description).toContain(`Item 0: task ${taskId}`);
		expect(error?.description).toMatch(/Get Task/);
	});
});

describe('issue 26 item 11: Get Task on a task whose image link has expired', () => {
	it('says the link expired, not that UniAll could not find it, and claims no charge in this run', async () => {
		const { hostileServer, sendJson } = await import('../helpers/hostileServer.cjs');
		let base = '';
		const { png } = await import('../helpers/imageBytes.cjs');
		const fresh = png(1024, 1024, 40);
		const server = await hostileServer((req, res) => {
			if (req.path === '/files/fresh.png') {
				res.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': fresh.length });
				return res.end(fresh);
			}
			if (req.path.startsWith('/files/')) return sendJson(res, 404, { error: 'gone' });
			const old = req.path.endsWith('task_old');
			return sendJson(res, 200, {
				task_id: old ? 'task_old' : 'task_new',
				status: 'succeeded',
				image_url: [`${base}/files/${old ? 'day-old' : 'fresh'}.png`],
			});
		});
		base = server.url;
		try {
			const { error } = await runNode({
				credentials: credentialsFor(server.url),
				items: [{ json: { taskId: 'task_new' } }, { json: { taskId: 'task_old' } }],
				parameters: {
					operation: 'getTask',
					taskId: '={{ $json.taskId }}',
					options: { concurrency: 1 },
				},
			});
			expect(error?.message).toBe(
				`The image link has expired: the image host answered ${base}/files/day-old.png with HTTP 404 [item 1]`,
			);
			// The list of what the failed node had already done names the fetched image, free.
			expect(error?.description).toContain('Already fetched in this run (nothing billed by it)');
			expect(error?.description).toContain(
				`Item 0: ${base}/files/fresh.png (fetched by Get Task, not billed in this run)`,
			);
			const description = String(error?.description);
			expect(description).not.toMatch(/Check the Base URL|run Get Task|paid for in this run/i);
			expect(description).not.toMatch(/generated and billed \(\$/);
			expect(description).toContain('Get Task bills nothing');
		} finally {
			await server.close();
		}
	});
});
