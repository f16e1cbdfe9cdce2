/**
 * n8n's own Loop Over Items runs the node once per batch within one execution, with the same
 * execution ID and item index 0 each time. Against a gateway that honours Idempotency-Key like
 * Stripe, each batch must still send a key of its own.
 */
import { POLL_SECONDS } from '../helpers/parameters';
import { useRealN8n } from './realN8nSession.cjs';
import {
	csvRows,
	graph,
	loopOverItems,
	readFile,
	rowTextToImage,
	trigger,
	uniall,
} from './workflows.cjs';

const session = useRealN8n({ mode: 'async', latencyMs: 200, honourIdempotencyKeys: true });
const { good, csv, runWorkflow } = session;

function loopWorkflow(name: string, prompts: string[]) {
	const rows = csv(name, 'prompt', prompts);
	const nodes = [
		trigger(),
		readFile(rows),
		csvRows(),
		loopOverItems(1),
		uniall(rowTextToImage({ pollInterval: POLL_SECONDS }), good),
	];
	const [start, read, parse, loop, generate] = nodes.map((n) => n.name);
	const wf = graph(`e2e ${name}`, nodes, [
		[start, read],
		[read, parse],
		[parse, loop],
		[loop, generate, 1],
		[generate, loop],
	]);
	return { wf, generate };
}

describe('the node inside Loop Over Items (real n8n)', () => {
	it('the same prompt in two batches: two runs of the node, two keys, two images (not a replay)', async () => {
		const { wf, generate } = loopWorkflow('same-prompt', ['a red fox', 'a red fox']);
		const result = await runWorkflow(wf);
		expect(result.error).toBeUndefined();
		expect(result.runData[generate]).toHaveLength(2);
		const posts = session.api.log.filter((e) => e.route === 'generations');
		expect(new Set(posts.map((e) => e.idempotencyKey)).size).toBe(2);
		expect(posts.some((e) => e.replayed)).toBe(false);
		expect(session.api.count('generations', { accepted: true })).toBe(2);
	});

	it('batch size 1 over 2 rows: 2 distinct Idempotency-Keys, 2 images, each with its own prompt', async () => {
		const { wf, generate } = loopWorkflow('loop', ['a red fox', 'a blue whale']);
		const result = await runWorkflow(wf);
		expect(result.error).toBeUndefined();
		// One run of the node per batch, each delivering its row's image.
		const runs = result.runData[generate] ?? [];
		const images = runs.flatMap((run) => run.data?.main?.[0] ?? []);
		expect(
			images.map((i) => [i.json.prompt, i.json.width, i.json.cost, Boolean(i.binary?.data)]),
		).toEqual([
			['a red fox', 1024, 0.01836, true],
			['a blue whale', 1024, 0.01836, true],
		]);
		const posts = session.api.log.filter((e) => e.route === 'generations');
		expect(posts.map((e) => [e.status, (e.body as { prompt: string }).prompt])).toEqual([
			[200, 'a red fox'],
			[200, 'a blue whale'],
		]);
		expect(new Set(posts.map((e) => e.idempotencyKey)).size).toBe(2);
		expect(session.api.count('generations', { accepted: true })).toBe(2);
		expect(images[0].json.imageUrl).not.toBe(images[1].json.imageUrl);
	});
});
