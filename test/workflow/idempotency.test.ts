import { useStandIn } from '../helpers/standIn';
import { credentialsFor } from '../helpers/credentials';
import { textToImageParams } from '../helpers/parameters';
import { runNode } from '../../tools/n8n/inProcess.cjs';

/**
 * Against a gateway that honours Idempotency-Key like Stripe (a repeated key with another body is
 * refused with 422, with the same body it replays the first answer), the key must be new for every
 * submission and repeat only when the same request is resent.
 */
const api = useStandIn({ mode: 'async', latencyMs: 30, honourIdempotencyKeys: true });

const generate = textToImageParams;
const posts = () => api.log.filter((e) => e.route === 'generations');
const KEY = /^n8n-uniall-[0-9a-f]{40}$/;

describe('Idempotency-Key against a gateway that honours it', () => {
	it('each run of the node in one execution (a Loop Over Items batch, an agent tool call) sends its own key', async () => {
		// The same execution ID, node and item index 0 each time, as n8n gives them inside a loop.
		const loop = {
			executionId: 'exec-loop',
			contextData: {},
			credentials: credentialsFor(api.url),
			parameters: generate(),
		};
		const first = await runNode({ ...loop, items: [{ json: { prompt: 'a red fox' } }] });
		const second = await runNode({ ...loop, items: [{ json: { prompt: 'a blue whale' } }] });
		expect([first.error, second.error]).toEqual([undefined, undefined]);
		expect([...first.items, ...second.items].map((i) => i.json.prompt)).toEqual([
			'a red fox',
			'a blue whale',
		]);
		expect(posts().map((e) => [e.status, (e.body as { prompt: string }).prompt])).toEqual([
			[200, 'a red fox'],
			[200, 'a blue whale'],
		]);
		const keys = posts().map((e) => e.idempotencyKey);
		for (const key of keys) expect(key).toMatch(KEY);
		expect(new Set(keys).size).toBe(2);
		expect(api.count('generations', { accepted: true })).toBe(2);
		expect(first.items[0].json.imageUrl).not.toBe(second.items[0].json.imageUrl);
	});

	it('the same prompt in a new execution is a new generation, not a replay of the old images', async () => {
		const row = {
			credentials: credentialsFor(api.url),
			parameters: generate(),
			items: [{ json: { prompt: 'a lighthouse' } }],
		};
		const first = await runNode({ ...row, executionId: 'exec-monday' });
		const second = await runNode({ ...row, executionId: 'exec-tuesday' });
		expect(api.count('generations', { accepted: true })).toBe(2);
		expect(posts().some((e) => e.replayed)).toBe(false);
		expect(first.items[0].json.taskId).not.toBe(second.items[0].json.taskId);
	});

	it('n8n running the same execution again (a queue job picked up anew) repeats the key: the gateway answers the job it made, nothing is billed twice', async () => {
		const again = {
			executionId: 'exec-again',
			credentials: credentialsFor(api.url),
			parameters: generate(),
			items: [{ json: { prompt: 'a lighthouse' } }],
		};
		const first = await runNode(again);
		const second = await runNode(again);
		expect(api.count('generations', { accepted: true })).toBe(1);
		expect(posts().map((e) => e.replayed ?? false)).toEqual([false, true]);
		expect(second.items[0].json.taskId).toBe(first.items[0].json.taskId);
	});

	it('a resend after a rate limit carries the same key; the gateway creates one job', async () => {
		api.inject({ route: 'generations', kind: 'status', status: 429, retryAfter: 0 });
		api.inject({ route: 'generations', kind: 'status', status: 503, retryAfter: 0 });
		const { items, error } = await runNode({
			credentials: credentialsFor(api.url),
			parameters: generate(),
			items: [{ json: { prompt: 'a cat' } }],
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		expect(posts().map((e) => e.status)).toEqual([429, 503, 200]);
		expect(new Set(posts().map((e) => e.idempotencyKey)).size).toBe(1);
		expect(api.count('generations', { accepted: true })).toBe(1);
	});

	it('rows of one run each send their own key', async () => {
		const prompts = ['one', 'two', 'three'];
		const { items } = await runNode({
			credentials: credentialsFor(api.url),
			parameters: generate({ concurrency: 3 }),
			items: prompts.map((prompt) => ({ json: { prompt } })),
		});
		expect(items.map((i) => i.json.prompt)).toEqual(prompts);
		expect(new Set(posts().map((e) => e.idempotencyKey)).size).toBe(3);
	});
});
