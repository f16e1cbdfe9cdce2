import { sleep } from 'n8n-workflow';

import { ROUTES } from '../../nodes/UniAllGptImage2/helpers/contract';
import { startStandIn } from '../../tools/stand-in/server.cjs';
import { useStandIn } from '../helpers/standIn';
import { AUTH, download, getTask, postGeneration, request, validRequest } from './standInClient';

/** Faults on demand: the node's retry and no-double-billing rules are proven against these. */
const api = useStandIn({ mode: 'async', latencyMs: 0 });

const models = async () => await request(`${api.url}${ROUTES.models}`, { headers: AUTH });

describe('status faults', () => {
	it.each([
		[400, 'content_policy_violation', 'invalid_request_error'],
		[401, 'invalid_api_key', 'authentication_error'],
		[402, 'insufficient_user_quota', 'insufficient_quota'],
		[403, 'insufficient_user_quota', 'insufficient_quota'],
		[404, 'not_found', 'invalid_request_error'],
		[429, 'rate_limit_exceeded', 'rate_limit_error'],
		[500, 'server_error', 'server_error'],
		[502, 'server_error', 'server_error'],
		[503, 'server_error', 'server_error'],
		[504, 'server_error', 'server_error'],
	])('%i answers an OpenAI-style body with code %s', async (status, code, type) => {
		api.inject({ route: 'generations', kind: 'status', status });
		const answer = await postGeneration(api.url, validRequest);
		expect(answer.status).toBe(status);
		expect(answer.json).toEqual({
			error: { message: expect.any(String), type, param: null, code },
		});
		expect(answer.headers.get('retry-after')).toBeNull();
		// The faulted request was not processed: no job.
		expect(api.log[0]).toMatchObject({ status, faulted: String(status) });
		expect(api.count('generations', { accepted: true })).toBe(0);
	});

	it('sends Retry-After, affects `times` requests, then answers normally', async () => {
		api.inject({ route: 'generations', kind: 'status', status: 429, retryAfter: 2, times: 2 });
		const first = await postGeneration(api.url, validRequest);
		const second = await postGeneration(api.url, validRequest);
		const third = await postGeneration(api.url, validRequest);
		expect([first.status, second.status, third.status]).toEqual([429, 429, 200]);
		expect(first.headers.get('retry-after')).toBe('2');
		expect(first.json.error?.code).toBe('rate_limit_exceeded');
		expect(api.count('generations', { status: 429 })).toBe(2);
		expect(api.count('generations', { accepted: true })).toBe(1);
		expect(api.pendingFaults).toBe(0);
	});

	it('503 with Retry-After 0 and a custom code and message', async () => {
		api.inject({
			route: 'task',
			kind: 'status',
			status: 503,
			retryAfter: 0,
			code: 'upstream_busy',
			message: 'Try again.',
		});
		const { json } = await postGeneration(api.url, validRequest);
		const answer = await getTask(api.url, json.id as string);
		expect(answer.status).toBe(503);
		expect(answer.headers.get('retry-after')).toBe('0');
		expect(answer.json.error).toMatchObject({ code: 'upstream_busy', message: 'Try again.' });
		expect((await getTask(api.url, json.id as string)).status).toBe(200);
	});

	it('hit only their route; `*` hits whichever request comes next', async () => {
		api.inject({ route: 'task', kind: 'status', status: 500 });
		expect((await models()).status).toBe(200);
		api.inject({ route: '*', kind: 'status', status: 502 });
		expect((await models()).status).toBe(502);
		expect(api.pendingFaults).toBe(1); // the task fault still waits
	});

	it('apply before the key check, like a gateway in front of the API', async () => {
		api.inject({ route: 'models', kind: 'status', status: 429 });
		expect((await request(`${api.url}${ROUTES.models}`)).status).toBe(429);
	});

	it('refuse a malformed fault', () => {
		expect(() => api.inject({ route: 'models', kind: 'explode' as 'drop' })).toThrow(/Not a fault/);
		expect(() => api.inject({ route: 'models', kind: 'status', status: 200 })).toThrow(/400-599/);
	});
});

describe('connection faults', () => {
	it('drop resets the connection before anything is processed', async () => {
		api.inject({ route: 'generations', kind: 'drop' });
		await expect(postGeneration(api.url, validRequest)).rejects.toThrow();
		expect(api.log[0]).toMatchObject({ route: 'generations', status: -1, faulted: 'drop' });
		expect(api.count('generations', { accepted: true })).toBe(0);
		// The server itself is fine afterwards.
		expect((await postGeneration(api.url, validRequest)).status).toBe(200);
	});

	it('accept-then-drop creates the job (billable) and then drops the answer', async () => {
		api.inject({ route: 'generations', kind: 'accept-then-drop' });
		await expect(postGeneration(api.url, validRequest)).rejects.toThrow();
		expect(api.log[0]).toMatchObject({
			status: -1,
			faulted: 'accept-then-drop',
			accepted: true,
			taskId: expect.stringMatching(/^task_/),
		});
		expect(api.count('generations', { accepted: true })).toBe(1);
		// The job exists: a client that learned its id could still collect it.
		expect((await getTask(api.url, api.log[0].taskId as string)).json.status).toBe('completed');
	});

	it('accept-then-drop on a synchronous POST drops after the work was done', async () => {
		api.configure({ mode: 'sync-url', latencyMs: 50 });
		api.inject({ route: 'generations', kind: 'accept-then-drop' });
		await expect(postGeneration(api.url, validRequest)).rejects.toThrow();
		expect(api.count('generations', { accepted: true })).toBe(1);
	});

	it('drops image downloads too', async () => {
		api.setMode('sync-url');
		const { json } = await postGeneration(api.url, validRequest);
		const url = (json.data as Array<{ url: string }>)[0].url;
		api.inject({ route: 'image', kind: 'drop' });
		await expect(download(url)).rejects.toThrow();
		expect((await download(url)).status).toBe(200);
		expect(api.count('image')).toBe(2);
	});

	it('slow waits delayMs, then answers normally', async () => {
		api.inject({ route: 'models', kind: 'slow', delayMs: 250 });
		const started = Date.now();
		expect((await models()).status).toBe(200);
		expect(Date.now() - started).toBeGreaterThanOrEqual(240);
		expect(api.log[0].faulted).toBe('slow');
	});
});

describe('closing', () => {
	it('ends open connections and pending waits at once, so test runners exit', async () => {
		const other = await startStandIn({ mode: 'sync-url', latencyMs: 60000 });
		const pending = postGeneration(other.url, validRequest);
		const settled = pending.then(
			() => 'answered',
			() => 'dropped',
		);
		while (other.log[0]?.body === undefined) await sleep(10);
		const started = Date.now();
		await other.close();
		expect(await settled).toBe('dropped');
		expect(Date.now() - started).toBeLessThan(1000);
	});
});
