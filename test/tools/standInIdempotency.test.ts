import { sleep } from 'n8n-workflow';

import { useStandIn } from '../helpers/standIn';
import { AUTH, getTask, postGeneration, validRequest } from './standInClient';

/** `honourIdempotencyKeys`: the stand-in remembers keys the way Stripe does. */
const api = useStandIn({ mode: 'async', latencyMs: 0, honourIdempotencyKeys: true });

const withKey = (key: string) => ({ ...AUTH, 'Idempotency-Key': key });

describe('honourIdempotencyKeys', () => {
	it.each(['async', 'sync-url'] as const)(
		'%s: the same key with the same body replays the first answer; no second job',
		async (mode) => {
			api.configure({ mode });
			const first = await postGeneration(api.url, validRequest, withKey('k-1'));
			// Same JSON, other key order: still the same request.
			const reordered = Object.fromEntries(Object.entries(validRequest).reverse());
			const again = await postGeneration(api.url, reordered, withKey('k-1'));
			expect(first.status).toBe(200);
			expect(again).toMatchObject({ status: 200, json: first.json });
			expect(api.count('generations', { accepted: true })).toBe(1);
			expect(api.log.map((e) => [e.accepted ?? false, e.replayed ?? false])).toEqual([
				[true, false],
				[false, true],
			]);
			expect(api.log[1].taskId).toBe(api.log[0].taskId);
		},
	);

	it('the same key with a different body is refused with 422 and creates nothing', async () => {
		await postGeneration(api.url, validRequest, withKey('k-2'));
		const other = await postGeneration(
			api.url,
			{ ...validRequest, prompt: 'another prompt' },
			withKey('k-2'),
		);
		expect(other.status).toBe(422);
		expect(other.json.error).toMatchObject({
			type: 'idempotency_error',
			code: 'idempotency_key_reused',
			param: null,
		});
		expect(other.json.error?.message).toMatch(/same parameters/);
		expect(api.count('generations', { accepted: true })).toBe(1);
	});

	it('different keys, or no key, are separate requests', async () => {
		await postGeneration(api.url, validRequest, withKey('k-3'));
		await postGeneration(api.url, validRequest, withKey('k-4'));
		await postGeneration(api.url, validRequest);
		await postGeneration(api.url, validRequest);
		expect(api.count('generations', { accepted: true })).toBe(4);
	});

	it('a request refused before a job existed (a 429, a validation error) is not remembered', async () => {
		api.inject({ route: 'generations', kind: 'status', status: 429 });
		expect((await postGeneration(api.url, validRequest, withKey('k-5'))).status).toBe(429);
		expect((await postGeneration(api.url, validRequest, withKey('k-5'))).status).toBe(200);
		expect(
			(await postGeneration(api.url, { ...validRequest, resolution: '8K' }, withKey('k-6'))).status,
		).toBe(400);
		expect((await postGeneration(api.url, validRequest, withKey('k-6'))).status).toBe(200);
		expect(api.count('generations', { accepted: true })).toBe(2);
	});

	it('a job accepted and then dropped is replayed to the resend, not created again', async () => {
		api.inject({ route: 'generations', kind: 'accept-then-drop' });
		await expect(postGeneration(api.url, validRequest, withKey('k-7'))).rejects.toThrow();
		const resend = await postGeneration(api.url, validRequest, withKey('k-7'));
		expect(resend.status).toBe(200);
		expect(resend.json.task_id).toBe(api.log[0].taskId);
		expect(api.count('generations', { accepted: true })).toBe(1);
	});

	it('is off by default: keys are logged but not honoured', async () => {
		api.configure({ honourIdempotencyKeys: false });
		await postGeneration(api.url, validRequest, withKey('k-8'));
		expect(
			(await postGeneration(api.url, { ...validRequest, prompt: 'other' }, withKey('k-8'))).status,
		).toBe(200);
		expect(api.count('generations', { accepted: true })).toBe(2);
	});

	it('reset forgets the keys', async () => {
		await postGeneration(api.url, validRequest, withKey('k-9'));
		api.reset();
		expect(
			(await postGeneration(api.url, { ...validRequest, prompt: 'other' }, withKey('k-9'))).status,
		).toBe(200);
	});

	it('can be switched on from outside through /__admin/config', async () => {
		api.configure({ honourIdempotencyKeys: false });
		const res = await fetch(`${api.url}/__admin/config`, {
			method: 'POST',
			body: JSON.stringify({ honourIdempotencyKeys: true }),
		});
		expect(((await res.json()) as Record<string, unknown>).honourIdempotencyKeys).toBe(true);
	});
});

describe('task answer shapes', () => {
	const i2i = {
		...validRequest,
		generation_mode: 'image_to_image',
		image_url: ['https://cdn.example.com/ref.png'],
	};

	it('wrapInData wraps the POST answer and the task answers in data', async () => {
		api.configure({ wrapInData: true });
		const posted = await postGeneration(api.url, validRequest);
		expect(posted.json).toEqual({
			data: expect.objectContaining({ task_id: expect.stringMatching(/^task_/), status: 'queued' }),
		});
		const taskId = (posted.json.data as { task_id: string }).task_id;
		const done = await getTask(api.url, taskId);
		expect(done.json).toEqual({
			data: expect.objectContaining({
				task_id: taskId,
				status: 'completed',
				result: { outputs: [expect.any(String)] },
			}),
		});
	});

	it('echoImageUrls echoes the references in answers that are not results, never in the completed one', async () => {
		api.configure({ echoImageUrls: true, latencyMs: 300 });
		const posted = await postGeneration(api.url, i2i);
		expect(posted.json).toMatchObject({ status: 'queued', image_url: i2i.image_url });
		const taskId = String(posted.json.task_id);
		expect((await getTask(api.url, taskId)).json).toMatchObject({ image_url: i2i.image_url });
		await sleep(400);
		const done = await getTask(api.url, taskId);
		expect(done.json.status).toBe('completed');
		expect(done.json.image_url).toBeUndefined();
	});
});
