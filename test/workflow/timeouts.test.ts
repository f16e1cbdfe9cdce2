/**
 * Rows that run out of time. The Timeout cannot be set below OPTION_LIMITS (a 4K generation can
 * take a minute), so each of these tests waits that long; they run at once, each with a stand-in
 * of its own, so the file takes about one Timeout.
 */
import { sleep } from 'n8n-workflow';

import { startStandIn, type StandIn, type StandInOptions } from '../../tools/stand-in/server.cjs';
import { runNode } from '../../tools/n8n/inProcess.cjs';
import { credentialsFor } from '../helpers/credentials';
import {
	hostileServer,
	sendJson,
	type Handler,
	type HostileServer,
} from '../helpers/hostileServer.cjs';
import { png } from '../helpers/imageBytes.cjs';
import {
	PAST_THE_TIMEOUT_MS,
	PROMPT_OR_FOX,
	SHORTEST_TIMEOUT_SECONDS,
	textToImageParams,
} from '../helpers/parameters';

const TIMEOUT = SHORTEST_TIMEOUT_SECONDS;
const TIMEOUT_MS = TIMEOUT * 1000;
/** Jest's limit for one of these tests: the Timeout plus slack for a busy machine. */
const TEST_LIMIT_MS = TIMEOUT_MS + 60_000;

const generate = (options: Record<string, unknown> = {}) =>
	textToImageParams({ timeout: TIMEOUT, ...options }, { prompt: PROMPT_OR_FOX });

async function withStandIn<T>(options: StandInOptions, test: (api: StandIn) => Promise<T>) {
	const api = await startStandIn(options);
	try {
		return await test(api);
	} finally {
		await api.close();
	}
}

describe('the Timeout bounds a row, and the error says what to do next', () => {
	/** A task still open at the Timeout: the Timeout's words, the task named for Get Task. */
	async function taskOutlastingTheTimeout(slowStatusCheck: boolean) {
		await withStandIn({ mode: 'async', latencyMs: PAST_THE_TIMEOUT_MS }, async (api) => {
			if (slowStatusCheck)
				api.inject({ route: 'task', kind: 'slow', delayMs: PAST_THE_TIMEOUT_MS });
			const started = Date.now();
			const { error } = await runNode({
				credentials: credentialsFor(api.url),
				parameters: generate(),
			});
			const took = Date.now() - started;
			expect(took).toBeGreaterThanOrEqual(TIMEOUT_MS - 1000);
			expect(took).toBeLessThan(TIMEOUT_MS + 10_000);
			expect(error?.message).toMatch(
				new RegExp(
					`^The generation did not finish within ${TIMEOUT} s \\(task task_\\w+\\) \\[item 0\\]$`,
				),
			);
			expect(error?.description).toMatch(/Get Task operation and Task ID "task_\w+"/);
			expect(api.count('generations')).toBe(1);
		});
	}

	it.concurrent(
		'a generation slower than the Timeout fails at the Timeout and names the task for Get Task',
		async () => await taskOutlastingTheTimeout(false),
		TEST_LIMIT_MS,
	);

	it.concurrent(
		'a status check cut short by the Timeout is the Timeout: the task is named for Get Task',
		async () => await taskOutlastingTheTimeout(true),
		TEST_LIMIT_MS,
	);

	it.concurrent(
		'a rate limit that does not clear within the Timeout fails the row clearly; nothing is accepted',
		async () =>
			await withStandIn({ mode: 'sync-url', latencyMs: 0 }, async (api) => {
				api.inject({
					route: 'generations',
					kind: 'status',
					status: 429,
					retryAfter: 1,
					times: TIMEOUT * 4,
				});
				const { error } = await runNode({
					credentials: credentialsFor(api.url),
					items: [{ json: { prompt: 'x' } }],
					parameters: generate({ maxRetries: 0 }),
				});
				expect(error?.message).toBe(
					"UniAll was still rate limiting the generation request (HTTP 429) when the row's " +
						'Timeout ran out [item 0]',
				);
				expect(error?.description).toMatch(/nothing is billed.*Raise the Timeout option/);
				expect(api.count('generations', { status: 429 })).toBeGreaterThanOrEqual(2);
				expect(api.count('generations', { accepted: true })).toBe(0);
			}),
		TEST_LIMIT_MS,
	);

	it.concurrent.each([
		['while the first bytes are read', false],
		['after the image was handed to the binary store', true],
	])(
		'a download that stalls %s ends at the Timeout in timeout words, with the task ID',
		async (_when, largeImages) =>
			await withStandIn({ mode: 'async', latencyMs: 30, largeImages }, async (api) => {
				// 64 KB: within what the node reads before handing bytes on (photo-like PNGs are MBs).
				const atBytes = largeImages ? undefined : 64 * 1024;
				api.inject({ route: 'image', kind: 'truncate', delayMs: PAST_THE_TIMEOUT_MS, atBytes });
				const started = Date.now();
				const { error } = await runNode({
					credentials: credentialsFor(api.url),
					parameters: generate(),
				});
				expect(error?.message).toMatch(
					new RegExp(
						`^The image download did not finish within ${TIMEOUT} s \\(task task_\\w+\\) \\[item 0\\]$`,
					),
				);
				expect(error?.description).toMatch(/Get Task operation and Task ID "task_\w+"/);
				expect(error?.description).toMatch(/Raise the Timeout option/);
				expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + 10_000);
			}),
		TEST_LIMIT_MS,
	);

	it.concurrent(
		'a synchronous POST that outlasts the Timeout stays counted against the budget and says to raise Timeout',
		async () =>
			await withStandIn({ mode: 'sync-url', latencyMs: 0 }, async (api) => {
				const { items } = await runNode({
					credentials: credentialsFor(api.url),
					continueOnFail: true,
					items: [
						{ json: { prompt: `slow [slow:${PAST_THE_TIMEOUT_MS}]` } },
						{ json: { prompt: 'second' } },
					],
					parameters: generate({ maxCostPerExecution: 0.03, concurrency: 1 }),
				});
				expect(items[0].json.error).toBe(
					`UniAll did not answer the generation request within the Timeout of ${TIMEOUT} s [item 0]`,
				);
				expect(items[0].json.errorDescription).toMatch(/Raise the Timeout option/);
				expect(items[0].json.errorDescription).not.toMatch(/network/i);
				expect(items[1].json.error).toMatch(/^This row would cost .*\[item 1\]$/);
				expect(api.count('generations')).toBe(1);
			}),
		TEST_LIMIT_MS,
	);
});

/**
 * Issue 26 item 1: a rate gate per host. A host's Retry-After must reach past another row's
 * Timeout to show a shared gate, so these wait about one Timeout too, beside the tests above.
 */
describe("one host's rate limit never holds back another host's calls", () => {
	const RESULT = png(1024, 1024, 40);
	const image = (res: Parameters<Handler>[1]) => {
		res.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': RESULT.length });
		res.end(RESULT);
	};
	const limit = (res: Parameters<Handler>[1], seconds: number) => {
		res.writeHead(429, { 'Content-Type': 'application/json', 'Retry-After': String(seconds) });
		res.end('{"error":{"message":"slow down"}}');
	};
	async function withServer<T>(handler: Handler, test: (api: HostileServer) => Promise<T>) {
		const api = await hostileServer(handler);
		try {
			return await test(api);
		} finally {
			await api.close();
		}
	}

	it.concurrent(
		"UniAll's Retry-After to one row does not hold back another row's download of its billed image",
		async () => {
			let base = '';
			let slowPosts = 0;
			await withServer(
				async (req, res) => {
					if (req.path === '/files/result.png') return image(res);
					// The slow row is told to wait longer than the other row's Timeout.
					if (req.body.includes('slow') && slowPosts++ === 0) return limit(res, TIMEOUT + 5);
					if (!req.body.includes('slow')) await sleep(500);
					sendJson(res, 200, { data: [{ url: `${base}/files/result.png` }] });
				},
				async (api) => {
					base = api.url;
					const { items, error } = await runNode({
						credentials: credentialsFor(api.url),
						continueOnFail: true,
						items: [
							{ json: { prompt: 'slow', timeout: TIMEOUT + 60 } },
							{ json: { prompt: 'fast', timeout: TIMEOUT } },
						],
						parameters: generate({ concurrency: 2, timeout: '={{ $json.timeout }}' }),
					});
					expect(error).toBeUndefined();
					expect(items.map((item) => item.json.error)).toEqual([undefined, undefined]);
					expect(items.map((item) => item.json.cost)).toEqual([0.01836, 0.01836]);
					expect(api.count('POST')).toBe(3);
				},
			);
		},
		TEST_LIMIT_MS + 30_000,
	);

	it.concurrent(
		"an image host's 429 does not hold back another row's paid POST; a billed image is tried at least once",
		async () => {
			let base = '';
			let limited = 0;
			await withServer(
				async (req, res) => {
					// Row a's image host asks for a wait longer than row b's Timeout, once.
					if (req.path === '/files/limited.png' && limited++ === 0) return limit(res, TIMEOUT + 5);
					if (req.path.startsWith('/files/')) return image(res);
					// Row z holds the second slot for a second, so row b is sent after a's 429.
					if (req.body.includes('z row')) await sleep(1000);
					const file = req.body.includes('a row') ? 'limited.png' : 'result.png';
					sendJson(res, 200, { data: [{ url: `${base}/files/${file}` }] });
				},
				async (api) => {
					base = api.url;
					const { items, error } = await runNode({
						credentials: credentialsFor(api.url),
						continueOnFail: true,
						items: [
							{ json: { prompt: 'a row', timeout: TIMEOUT + 60 } },
							{ json: { prompt: 'z row', timeout: TIMEOUT } },
							{ json: { prompt: 'b row', timeout: TIMEOUT } },
						],
						parameters: generate({ concurrency: 2, timeout: '={{ $json.timeout }}' }),
					});
					expect(error).toBeUndefined();
					// Row b's POST went out at once, and its image (same host, whose gate row a's 429
					// closed past b's Timeout) was tried rather than given up unseen.
					expect(items.map((item) => item.json.error)).toEqual([undefined, undefined, undefined]);
					expect(items.map((item) => item.json.cost)).toEqual([0.01836, 0.01836, 0.01836]);
					expect(api.count('POST')).toBe(3);
					expect(limited).toBe(2);
				},
			);
		},
		TEST_LIMIT_MS + 30_000,
	);
});
