/**
 * A generation answered after more than 300 s (issue 27 §4). Users of n8n's OpenAI node hit a
 * 300 s cut on long image generations (n8n issues #34403, #24496); this node must wait as long as
 * the row's Timeout allows, through n8n's own request helpers, and send the POST once.
 *
 * Newest n8n only, started first (tools/n8n/versions.cts, test/e2e/sequencer.js): the file is
 * five and a half minutes of waiting, which the other Jest worker fills with the rest of the suite.
 */
import { useRealN8n } from './realN8nSession.cjs';
import { csvRows, readFile, rowTextToImage, trigger, uniall, workflow } from './workflows.cjs';

/** Past 300 s, with room: what a slow 4K or high-quality generation can take. */
const LATENCY_MS = 330_000;
const session = useRealN8n({ mode: 'sync-url', latencyMs: LATENCY_MS });

describe('a generation that takes longer than 300 s, in a real n8n', () => {
	it('Timeout 420 s: the answer after 330 s is waited for (one POST, the image and its cost); the default 300 s row is cut by its own Timeout', async () => {
		const prompts = ['a slow product shot', 'the same with the default Timeout'];
		const started = Date.now();
		const result = await session.runWorkflow(
			workflow('e2e long generation', [
				trigger(),
				readFile(session.csv('long', 'prompt,timeout', [`${prompts[0]},420`, `${prompts[1]},`])),
				csvRows(),
				uniall(
					// An empty cell leaves the option at its default (300 s), as a user's sheet would.
					rowTextToImage({ timeout: '={{ $json.timeout ? Number($json.timeout) : 300 }}' }),
					session.good,
					{ onError: 'continueRegularOutput' },
				),
			]),
		);
		const seconds = (Date.now() - started) / 1000;

		expect(result.error).toBeUndefined();
		const items = result.items('UniAll GPT Image-2');
		expect(items).toHaveLength(2);
		const [slow, cut] = items;
		expect([slow.json.prompt, slow.json.cost, slow.binary?.data?.mimeType]).toEqual([
			prompts[0],
			0.01836,
			'image/png',
		]);
		expect(String(cut.json.error)).toContain('within the Timeout of 300 s');
		// The answer really came after 330 s: the wait was not skipped.
		expect(seconds).toBeGreaterThan(LATENCY_MS / 1000);
		// One POST per row: nothing was resent when the answer was slow.
		const posts = session.api.log.filter((e) => e.route === 'generations');
		expect(posts.map((e) => (e.body as { prompt: string }).prompt).sort()).toEqual(
			[...prompts].sort(),
		);
	});
});
