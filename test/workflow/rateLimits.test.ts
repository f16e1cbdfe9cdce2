import { useStandIn } from '../helpers/standIn';
import { credentialsFor } from '../helpers/credentials';
import { textToImageParams } from '../helpers/parameters';
import { runNode } from '../../tools/n8n/inProcess.cjs';

/**
 * A 429 proves UniAll accepted nothing, so the node waits rate limits out (all rows together,
 * honouring Retry-After) until the row's Timeout; Max Retries bounds server and network errors only.
 */
const api = useStandIn({ mode: 'sync-url', latencyMs: 0 });

const generate = textToImageParams;
const posts = () => api.log.filter((e) => e.route === 'generations');

describe('rate limits slow the node down instead of failing it', () => {
	it('a burst of more 429s than rows x (Max Retries + 1): every row delivered, each accepted exactly once', async () => {
		const rows = 24;
		const maxRetries = 1;
		const burst = 50; // > 24 x (1 + 1): Max Retries alone could not absorb it
		api.inject({ route: 'generations', kind: 'status', status: 429, retryAfter: 1, times: burst });
		const prompts = Array.from({ length: rows }, (_, i) => `row ${i + 1} product`);
		const { items, error } = await runNode({
			credentials: credentialsFor(api.url),
			items: prompts.map((prompt) => ({ json: { prompt } })),
			// Format pinned: under Auto the first row probes alone, and this count-based burst would be
			// spent one 429 per Retry-After second by that single probe (slow, not wrong).
			parameters: generate({ concurrency: 8, maxRetries, requestFormat: 'uniall' }),
		});
		expect(error).toBeUndefined();
		expect(items.map((i) => i.json.prompt)).toEqual(prompts);
		expect(items.every((i) => i.binary?.data && i.json.cost === 0.01836)).toBe(true);
		expect(api.count('generations', { status: 429 })).toBe(burst);
		const accepted = posts()
			.filter((e) => e.accepted)
			.map((e) => (e.body as { prompt: string }).prompt);
		expect(accepted.sort()).toEqual([...prompts].sort());
		// Every resend of a row is the same request with the same key.
		for (const prompt of prompts) {
			const sent = posts().filter((e) => (e.body as { prompt: string }).prompt === prompt);
			expect(new Set(sent.map((e) => e.idempotencyKey)).size).toBe(1);
		}
	});

	it('429s while polling are waited out too, whatever Max Retries says', async () => {
		api.configure({ mode: 'async', latencyMs: 30 });
		api.inject({ route: 'task', kind: 'status', status: 429, retryAfter: 0, times: 4 });
		const { items, error } = await runNode({
			credentials: credentialsFor(api.url),
			items: [{ json: { prompt: 'x' } }],
			parameters: generate({ maxRetries: 0 }),
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		expect(api.count('task', { status: 429 })).toBe(4);
	});

	it('a 429 that says the balance is exhausted is not waited out', async () => {
		api.inject({
			route: 'generations',
			kind: 'status',
			status: 429,
			code: 'insufficient_user_quota',
			message: 'Your quota is exhausted.',
			times: 5,
		});
		const { error } = await runNode({
			credentials: credentialsFor(api.url),
			items: [{ json: { prompt: 'x' } }],
			parameters: generate(),
		});
		expect(error?.message).toBe('Your UniAll balance is exhausted (HTTP 429) [item 0]');
		expect(posts()).toHaveLength(1);
	});
});
