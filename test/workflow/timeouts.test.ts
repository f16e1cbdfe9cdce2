/**
 * Rows that run out of time. The Timeout cannot be set below OPTION_LIMITS (a 4K generation can
 * take a minute), so each of these tests waits that long; they run at once, each with a stand-in
 * of its own, so the file takes about one Timeout.
 */
import { startStandIn, type StandIn, type StandInOptions } from '../../tools/stand-in/server.cjs';
import { runNode } from '../../tools/n8n/inProcess.cjs';
import { credentialsFor } from '../helpers/credentials';
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
