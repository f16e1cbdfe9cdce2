import { sleep } from 'n8n-workflow';

import { startStandIn } from '../../tools/stand-in/server.cjs';
import { useStandIn } from '../helpers/standIn';
import { credentialsFor } from '../helpers/credentials';
import { runNode } from '../../tools/n8n/inProcess.cjs';
import { PROMPT_OR_FOX, textToImageParams } from '../helpers/parameters';

const api = useStandIn({ mode: 'async', latencyMs: 30 });

const generate = (extra: Record<string, unknown> = {}, options: Record<string, unknown> = {}) =>
	textToImageParams(options, { prompt: PROMPT_OR_FOX, ...extra });
const accepted = () => api.count('generations', { accepted: true });
const posts = () => api.count('generations');

describe('faults are survived without billing anyone twice', () => {
	it('429 with Retry-After: waits, resends the same request with the same idempotency key, one job', async () => {
		api.inject({ route: 'generations', kind: 'status', status: 429, retryAfter: 1 });
		const started = Date.now();
		const { items, error } = await runNode({
			credentials: credentialsFor(api.url),
			parameters: generate(),
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
		const sent = api.log.filter((e) => e.route === 'generations');
		expect(sent.map((e) => e.status)).toEqual([429, 200]);
		expect(sent[0].idempotencyKey).toBe(sent[1].idempotencyKey);
		expect(accepted()).toBe(1);
	});

	it('503 before acceptance is retried up to Max Retries', async () => {
		api.inject({ route: 'generations', kind: 'status', status: 503, times: 2, retryAfter: 0 });
		const { error } = await runNode({
			credentials: credentialsFor(api.url),
			parameters: generate(),
		});
		expect(error).toBeUndefined();
		expect(posts()).toBe(3);
		expect(accepted()).toBe(1);
	});

	it.each([500, 502, 504])(
		'%i on the creating POST is reported, not resent (the job may exist)',
		async (status) => {
			api.inject({ route: 'generations', kind: 'status', status });
			const { error } = await runNode({
				credentials: credentialsFor(api.url),
				parameters: generate(),
			});
			expect(error?.message).toBe(`UniAll had a server error (HTTP ${status}) [item 0]`);
			expect(posts()).toBe(1);
		},
	);

	it('a connection that drops after UniAll accepted the job is not resent', async () => {
		api.inject({ route: 'generations', kind: 'accept-then-drop' });
		const { error } = await runNode({
			credentials: credentialsFor(api.url),
			parameters: generate(),
		});
		expect(error?.message).toBe(
			'Could not reach UniAll for the generation request: the connection was dropped [item 0]',
		);
		expect(posts()).toBe(1);
		expect(accepted()).toBe(1);
	});

	it('a refused connection (nothing was sent) is retried, then reported', async () => {
		const closed = await startStandIn();
		const url = closed.url;
		await closed.close();
		const started = Date.now();
		const { error } = await runNode({
			credentials: credentialsFor(url),
			parameters: generate({}, { maxRetries: 1 }),
		});
		expect(error?.message).toBe(
			'Could not reach UniAll for the generation request: the connection was refused [item 0]',
		);
		expect(error?.description).toMatch(/ECONNREFUSED/);
		expect(Date.now() - started).toBeGreaterThanOrEqual(450); // one backoff wait happened
	});

	it('polling survives server errors and dropped connections on the task route', async () => {
		api.inject({ route: 'task', kind: 'status', status: 502 });
		api.inject({ route: 'task', kind: 'drop' });
		api.inject({ route: 'task', kind: 'status', status: 500 });
		const { items, error } = await runNode({
			credentials: credentialsFor(api.url),
			parameters: generate({}, { maxRetries: 3 }),
		});
		expect(error).toBeUndefined();
		expect(items[0].json.width).toBe(1024);
		expect(accepted()).toBe(1);
	});

	it('image downloads are retried too', async () => {
		api.inject({ route: 'image', kind: 'status', status: 503, retryAfter: 0 });
		api.inject({ route: 'image', kind: 'drop' });
		const { items, error } = await runNode({
			credentials: credentialsFor(api.url),
			parameters: generate({}, { maxRetries: 2 }),
		});
		expect(error).toBeUndefined();
		expect(items[0].json.fileSize).toBeGreaterThan(1000);
		expect(api.count('image')).toBe(3);
	});

	it.each([
		[402, 'Your UniAll balance is exhausted (HTTP 402) [item 0]'],
		[403, 'Your UniAll balance is exhausted (HTTP 403) [item 0]'],
		[404, 'UniAll could not find the generation request (HTTP 404) [item 0]'],
	])('%i is explained and not retried', async (status, message) => {
		api.inject({ route: 'generations', kind: 'status', status });
		const { error } = await runNode({
			credentials: credentialsFor(api.url),
			parameters: generate(),
		});
		expect(error?.message).toBe(message);
		expect(posts()).toBe(1);
	});

	it('a failed task is an error with UniAll reason; its images are not billed', async () => {
		const { items } = await runNode({
			credentials: credentialsFor(api.url),
			continueOnFail: true,
			items: [{ json: { prompt: 'ok' } }, { json: { prompt: 'boom [fail:task]' } }],
			parameters: generate(),
		});
		expect(items).toHaveLength(2);
		expect(items[0].json.cost).toBe(0.01836);
		expect(items[1].json.error).toMatch(
			/^The generation task task_\w+ failed: The image could not be generated\. \[item 1\]$/,
		);
		expect(items[1].json.errorReason).toBe('task_failed');
		expect(items[1].pairedItem).toEqual({ item: 1 });
	});

	it('a content-policy rejection fails that row only; the others still produce images', async () => {
		const { items } = await runNode({
			credentials: credentialsFor(api.url),
			continueOnFail: true,
			items: [
				{ json: { prompt: 'row one' } },
				{ json: { prompt: 'bad [fail:policy]' } },
				{ json: { prompt: 'row three' } },
			],
			parameters: generate(),
		});
		expect(items.map((i) => (i.json.error ? 'error' : 'image'))).toEqual([
			'image',
			'error',
			'image',
		]);
		expect(items[1].json.error).toBe("The prompt was rejected by UniAll's content policy [item 1]");
		expect(items[1].json.httpCode).toBe('400');
	});
});

describe('what the node downloads', () => {
	it.each([
		[
			'file:///etc/passwd',
			'UniAll returned an image address with the "file:" scheme; only http(s) images are downloaded',
		],
		['not a url', 'UniAll returned an image address that is not a URL: "not a url"'],
	])('refuses a result URL like %s and downloads nothing', async (url, message) => {
		api.configure({ mode: 'sync-url', extraAnswerFields: { data: [{ url }] } });
		const { error } = await runNode({
			credentials: credentialsFor(api.url),
			parameters: generate(),
		});
		expect(error?.message).toBe(`${message} [item 0]`);
		expect(api.count('image')).toBe(0);
	});
});

describe('rows in parallel', () => {
	it('keeps output order and pairedItem whatever finishes first', async () => {
		// Long enough that the check below does not hinge on how busy the test machine is.
		const latencyMs = 1500;
		api.configure({ latencyMs });
		const prompts = ['first [slow:400]', 'second', 'third [slow:200]', 'fourth', 'fifth'];
		const { items } = await runNode({
			credentials: credentialsFor(api.url),
			items: prompts.map((prompt) => ({ json: { prompt } })),
			parameters: generate({}, { concurrency: 5 }),
		});
		expect(items.map((i) => i.json.prompt)).toEqual(prompts);
		expect(items.map((i) => i.pairedItem)).toEqual(prompts.map((_, item) => ({ item })));
		// All five were in flight together: the last POST came before the first task finished.
		const sent = api.log.filter((e) => e.route === 'generations').map((e) => e.at);
		expect(Math.max(...sent) - Math.min(...sent)).toBeLessThan(latencyMs);
	});

	it('a 429 pauses every row (shared backoff), not just the one that got it', async () => {
		api.configure({ mode: 'sync-url', latencyMs: 100 });
		api.inject({ route: 'generations', kind: 'status', status: 429, retryAfter: 1 });
		const { items, error } = await runNode({
			credentials: credentialsFor(api.url),
			items: Array.from({ length: 6 }, (_, i) => ({ json: { prompt: `row ${i}` } })),
			parameters: generate({}, { concurrency: 2 }),
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(6);
		const gens = api.log.filter((e) => e.route === 'generations');
		const limited = gens.find((e) => e.status === 429)!;
		// The other lane's request was already on its way; everything after waited for Retry-After.
		const later = gens.filter((e) => e.at > limited.at + 50);
		expect(later.length).toBeGreaterThanOrEqual(4);
		for (const e of later) expect(e.at - limited.at).toBeGreaterThanOrEqual(950);
		expect(accepted()).toBe(6);
	});

	it('without Continue On Fail the first failure stops new submissions and names the row', async () => {
		const { error } = await runNode({
			credentials: credentialsFor(api.url),
			items: ['a', 'b [fail:policy]', 'c', 'd', 'e'].map((prompt) => ({ json: { prompt } })),
			parameters: generate({}, { concurrency: 1 }),
		});
		expect(error?.message).toBe("The prompt was rejected by UniAll's content policy [item 1]");
		expect(posts()).toBe(2);
	});
});

describe('cancellation', () => {
	it('stops polling promptly when the execution is cancelled', async () => {
		api.configure({ latencyMs: 60_000 });
		const started = Date.now();
		await runNode({
			credentials: credentialsFor(api.url),
			parameters: generate({}, { pollInterval: 1, timeout: 120 }),
			cancelAfterMs: 1500,
		});
		const stoppedAfter = Date.now() - started;
		// Within one poll interval of the cancel, and no polls after it.
		expect(stoppedAfter).toBeLessThan(1500 + 1000 + 500);
		const pollsBefore = api.count('task');
		await sleep(1500);
		expect(api.count('task')).toBe(pollsBefore);
		expect(posts()).toBe(1);
	});
});
