/**
 * A burst of rate limits in a real n8n: the node waits them out (all rows together, honouring
 * Retry-After) instead of failing, because a 429 proves nothing was accepted; Max Retries bounds
 * server and network errors only.
 */
import { useRealN8n } from './realN8nSession.cjs';
import { csvRows, readFile, rowTextToImage, trigger, uniall, workflow } from './workflows.cjs';

const session = useRealN8n({ mode: 'sync-url', latencyMs: 0 });
const { good, csv, runWorkflow } = session;

describe('rate limits in a real n8n', () => {
	it('24 rows at concurrency 8 against more 429s than rows x (Max Retries + 1): every row delivered, each accepted once', async () => {
		const rows = 24;
		const maxRetries = 1;
		const burst = 50; // > 24 x (1 + 1)
		session.api.inject({
			route: 'generations',
			kind: 'status',
			status: 429,
			retryAfter: 1,
			times: burst,
		});
		const prompts = Array.from({ length: rows }, (_, i) => `product ${i + 1}`);
		const result = await runWorkflow(
			workflow('e2e rate limit burst', [
				trigger(),
				readFile(csv('burst', 'prompt', prompts)),
				csvRows(),
				uniall(rowTextToImage({ concurrency: 8, maxRetries, requestFormat: 'uniall' }), good),
			]),
		);
		expect(result.error).toBeUndefined();
		const items = result.items('UniAll GPT Image-2');
		expect(items.map((i) => [i.json.prompt, i.json.cost, Boolean(i.binary?.data)])).toEqual(
			prompts.map((p) => [p, 0.01836, true]),
		);
		expect(items.map((i) => i.pairedItem)).toEqual(prompts.map((_, item) => ({ item })));
		expect(session.api.count('generations', { status: 429 })).toBe(burst);
		const accepted = session.api.log
			.filter((e) => e.route === 'generations' && e.accepted)
			.map((e) => (e.body as { prompt: string }).prompt);
		expect(accepted.sort()).toEqual([...prompts].sort());
	});
});
