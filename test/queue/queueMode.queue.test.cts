/**
 * `npm run e2e:queue`: the packed package in n8n's queue mode on this machine (Redis, PostgreSQL,
 * one main, two workers, binary data in the database), driven the way production drives it:
 * webhook calls over HTTP, several at once. Results are read back from n8n's REST API and from
 * the shared binary store; the stand-in says what UniAll was asked for and what it billed.
 */
import { PRICE_PER_IMAGE_USD } from '../../nodes/UniAllGptImage2/helpers/contract';
import { buildAndPack } from '../../tools/n8n/pack.cjs';
import { ensureN8n } from '../../tools/n8n/runtime.cjs';
import { startQueueCluster, type QueueCluster } from '../../tools/queue/cluster.cjs';
import { sql } from '../../tools/queue/services.cjs';
import {
	QUEUE_CREDENTIAL,
	rows,
	textToImage,
	webhookWorkflow,
} from '../../tools/queue/workflows.cjs';
import { startStandIn, type StandIn } from '../../tools/stand-in/server.cjs';
import { checkPng } from '../tools/pngCheck';

const PRICE = PRICE_PER_IMAGE_USD['1K'];
const MAIN = { id: 'uniallQueueRows01', path: 'rows' };
const BUDGET = { id: 'uniallQueueBudg01', path: 'budget' };

let api: StandIn;
let cluster: QueueCluster;

/** One queue-mode deployment of one n8n version for the describe block that calls it. */
function useCluster(
	version: string,
	standIn: Parameters<typeof startStandIn>[0],
	env: NodeJS.ProcessEnv = {},
) {
	beforeAll(async () => {
		api = await startStandIn(standIn);
		const [tarball, runtime] = await Promise.all([buildAndPack(), ensureN8n(version)]);
		cluster = await startQueueCluster({
			runtime,
			tarball,
			credentials: [
				{
					...QUEUE_CREDENTIAL,
					type: 'uniAllApi',
					data: { apiKey: 'test-uniall-key', baseUrl: api.url },
				},
			],
			workflows: [
				webhookWorkflow(MAIN.id, MAIN.path, textToImage({ concurrency: 4 })),
				webhookWorkflow(
					BUDGET.id,
					BUDGET.path,
					textToImage({ concurrency: 2, maxCostPerExecution: Number((6 * PRICE).toFixed(5)) }),
					'continueRegularOutput',
				),
			],
			workers: 2,
			workerConcurrency: 2,
			env,
			log: (line) => process.stdout.write(`[n8n ${version}] ${line}\n`),
		});
	}, 900_000);

	afterAll(async () => {
		await cluster?.stop();
		await api?.close();
	});

	beforeEach(() => {
		api.reset();
		api.configure(standIn ?? {});
	});
}

type Item = { cost?: number; error?: string; imageUrl?: string; width?: number; prompt?: string };

async function call(path: string, body: unknown): Promise<{ status: number; items: Item[] }> {
	const res = await fetch(`${cluster.baseUrl}/webhook/${path}`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify(body),
	});
	const text = await res.text();
	let items: Item[] = [];
	try {
		const parsed = JSON.parse(text);
		items = Array.isArray(parsed) ? parsed : [parsed];
	} catch {
		// not JSON: the status says what happened
	}
	return { status: res.status, items };
}

interface ExecutionSummary {
	id: string;
	status: string;
	workflowId: string;
}

async function executions(workflowId: string): Promise<ExecutionSummary[]> {
	const data = await cluster.rest<{ results: ExecutionSummary[] }>(
		`/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId }))}&limit=100`,
	);
	return data.results;
}

/** The worker that logs the start of a new execution (one started after `startedBefore` was taken). */
async function workerThatStarts(startedBefore: number[]) {
	for (
		const deadline = Date.now() + 60_000;
		Date.now() < deadline;
		await new Promise((r) => setTimeout(r, 100))
	) {
		const victim = cluster.workers.find((w, i) => w.started.length > startedBefore[i]);
		if (victim)
			return {
				victim,
				executionId: victim.started[startedBefore[cluster.workers.indexOf(victim)]],
			};
	}
	throw new Error('no worker started the execution within 60 s');
}

/**
 * Sends 12 rows, waits for the worker that starts them, lets UniAll accept the first rows (billed),
 * then kills that worker outright; resolves once n8n's own record of the execution (the shared
 * database) is no longer running.
 */
async function killWorkerMidExecution(tag: string) {
	const startedBefore = cluster.workers.map((w) => w.started.length);
	const answer = call(MAIN.path, { rows: rows(tag, 12) }).catch(() => ({
		status: -1,
		items: [] as Item[],
	}));
	const { victim, executionId } = await workerThatStarts(startedBefore);
	await new Promise((r) => setTimeout(r, 3000));
	const acceptedAtKill = api.count('generations', { accepted: true });
	victim.child.kill('SIGKILL');
	const webhook = await answer;
	let status = 'running';
	for (
		const deadline = Date.now() + 240_000;
		['running', 'new', 'waiting'].includes(status) && Date.now() < deadline;
		await new Promise((r) => setTimeout(r, 1000))
	) {
		status =
			sql(
				cluster.services.postgres,
				`SELECT status FROM execution_entity WHERE id = ${Number(executionId)}`,
			)[0]?.[0] ?? 'missing';
	}
	const survivor = cluster.workers.find((w) => w !== victim);
	return {
		executionId,
		acceptedAtKill,
		webhook,
		status,
		rerunByOtherWorker: survivor?.started.includes(executionId) ?? false,
	};
}

/** Accepted (billable) generation requests per prompt, from the stand-in's log. */
function acceptedPerPrompt(): Map<string, number> {
	const counts = new Map<string, number>();
	for (const e of api.log) {
		if (e.route !== 'generations' || !e.accepted) continue;
		const prompt = String((e.body as { prompt?: unknown }).prompt);
		counts.set(prompt, (counts.get(prompt) ?? 0) + 1);
	}
	return counts;
}

describe('n8n 2.8.4 in queue mode: one main, two workers, Redis, PostgreSQL, binaries in the database', () => {
	useCluster('2.8.4', { mode: 'async', latencyMs: 500 });

	it('4 webhook executions at once, 24 rows each: all succeed, both workers work, every image is a PNG in the shared store, one POST per row', async () => {
		const before = new Set((await executions(MAIN.id)).map((e) => e.id));
		const started = Date.now();
		const answers = await Promise.all(
			[1, 2, 3, 4].map((e) => call(MAIN.path, { rows: rows(`exec ${e}`, 24) })),
		);
		process.stdout.write(
			`4 x 24 rows answered in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
		);
		for (const answer of answers) {
			expect(answer.status).toBe(200);
			expect(answer.items).toHaveLength(24);
			expect(answer.items.filter((i) => i.error)).toEqual([]);
			const cost = answer.items.reduce((sum, i) => sum + (i.cost ?? 0), 0);
			expect(cost).toBeCloseTo(24 * PRICE, 10);
		}

		const runs = (await executions(MAIN.id)).filter((e) => !before.has(e.id));
		expect(runs).toHaveLength(4);
		expect(runs.map((e) => e.status)).toEqual(['success', 'success', 'success', 'success']);
		const ran = cluster.workers.map((w) => runs.filter((e) => w.started.includes(e.id)).length);
		expect(ran.reduce((a, b) => a + b, 0)).toBe(4);
		for (const count of ran) expect(count).toBeGreaterThan(0);

		// n8n's binary store is the shared database: 24 PNGs per execution, each complete.
		const ids = runs.map((e) => `'${Number(e.id)}'`).join(',');
		const stored = sql(
			cluster.services.postgres,
			`SELECT "sourceId", "mimeType", encode(data, 'hex') FROM binary_data WHERE "sourceId" IN (${ids})`,
		);
		expect(stored).toHaveLength(96);
		for (const run of runs) expect(stored.filter((r) => r[0] === run.id)).toHaveLength(24);
		for (const [, mimeType, hex] of stored) {
			expect(mimeType).toBe('image/png');
			const png = await checkPng(Buffer.from(hex, 'hex'));
			expect([png.width, png.height]).toEqual([1024, 1024]);
		}

		const accepted = acceptedPerPrompt();
		expect(accepted.size).toBe(96);
		expect([...accepted.values()].every((n) => n === 1)).toBe(true);
		expect(api.count('generations')).toBe(96);
	});

	it('large images stream into the database store: 2 incompressible 2K PNGs arrive whole', async () => {
		// Larger than the bytes the node reads to sniff the type, so the rest is streamed to n8n.
		api.configure({ largeImages: true });
		const answer = await call(MAIN.path, { rows: rows('large', 2, { resolution: '2K' }) });
		expect(answer.status).toBe(200);
		expect(answer.items.map((i) => [i.error, i.width])).toEqual([
			[undefined, 1536],
			[undefined, 1536],
		]);
		const sizes = sql(
			cluster.services.postgres,
			`SELECT "fileSize", encode(substring(data from 1 for 8), 'hex') FROM binary_data WHERE "fileName" LIKE '%' ORDER BY "createdAt" DESC LIMIT 2`,
		);
		for (const [fileSize, signature] of sizes) {
			expect(Number(fileSize)).toBeGreaterThan(5 * 1024 * 1024);
			expect(signature).toBe('89504e470d0a1a0a');
		}
	});

	it('the budget guard holds per execution: a budget for 6 images over 10 rows gives 6 images and 4 refusals', async () => {
		const answer = await call(BUDGET.path, { rows: rows('budget', 10) });
		expect(answer.status).toBe(200);
		expect(answer.items).toHaveLength(10);
		const images = answer.items.filter((i) => !i.error);
		const refused = answer.items.filter((i) => i.error);
		expect(images).toHaveLength(6);
		expect(refused).toHaveLength(4);
		for (const r of refused) expect(r.error).toMatch(/Max Cost per Execution|budget/i);
		expect(api.count('generations', { accepted: true })).toBe(6);
	});

	it('a 429 storm slows the workers down and fails nothing; each row is accepted once', async () => {
		api.inject({ route: 'generations', kind: 'status', status: 429, retryAfter: 1, times: 30 });
		const answers = await Promise.all(
			[1, 2].map((e) => call(MAIN.path, { rows: rows(`storm ${e}`, 24) })),
		);
		for (const answer of answers) {
			expect(answer.status).toBe(200);
			expect(answer.items.filter((i) => i.error)).toEqual([]);
			expect(answer.items).toHaveLength(24);
		}
		expect(api.count('generations', { status: 429 })).toBe(30);
		const accepted = acceptedPerPrompt();
		expect(accepted.size).toBe(48);
		expect([...accepted.values()].every((n) => n === 1)).toBe(true);
	});

	// Last: it leaves one worker.
	it('a worker killed with SIGKILL mid-execution: n8n does not run it twice, and nothing is billed twice', async () => {
		api.configure({ latencyMs: 2000 });
		const { executionId, acceptedAtKill, webhook, status, rerunByOtherWorker } =
			await killWorkerMidExecution('killed');
		expect(executionId).toBeDefined();
		const report = {
			execution: executionId,
			statusAfterKill: status,
			webhookHttpStatus: webhook.status,
			webhookItems: webhook.items.length,
			rerunByOtherWorker,
			acceptedBeforeKill: acceptedAtKill,
			acceptedInAll: api.count('generations', { accepted: true }),
		};
		process.stdout.write(`worker kill report: ${JSON.stringify(report)}\n`);
		expect(acceptedAtKill).toBeGreaterThan(0);
		expect(status).not.toBe('success');
		expect(report.rerunByOtherWorker).toBe(false);
		// Nothing was submitted twice: each prompt accepted at most once.
		expect([...acceptedPerPrompt().values()].every((n) => n === 1)).toBe(true);
	});
});

/**
 * n8n 1.x hands the job of a dead worker to another worker (Bull's stalled-job check,
 * QUEUE_WORKER_MAX_STALLED_COUNT 1), which runs the same execution again from the start. The
 * Idempotency-Key repeats for the same execution, node, run, row and body, so a gateway that
 * honours keys answers the jobs it already made: nothing is billed twice. Lock times are shortened
 * so the handover takes seconds, not n8n's default minute.
 */
describe("n8n 1.123.81 in queue mode: a killed worker's execution is run again, and billed once", () => {
	useCluster(
		'1.123.81',
		{ mode: 'async', latencyMs: 2000, honourIdempotencyKeys: true },
		{
			QUEUE_WORKER_LOCK_DURATION: '10000',
			QUEUE_WORKER_LOCK_RENEW_TIME: '2000',
			QUEUE_WORKER_STALLED_INTERVAL: '5000',
		},
	);

	it('SIGKILL a worker mid-execution: the other worker reruns it, the gateway replays the accepted rows, every row billed once', async () => {
		const { executionId, acceptedAtKill, webhook, status, rerunByOtherWorker } =
			await killWorkerMidExecution('rerun');
		expect(executionId).toBeDefined();
		const replayed = api.log.filter((e) => e.route === 'generations' && e.replayed).length;
		const report = {
			execution: executionId,
			status,
			webhookHttpStatus: webhook.status,
			rerunByOtherWorker,
			acceptedBeforeKill: acceptedAtKill,
			replayed,
			accepted: api.count('generations', { accepted: true }),
		};
		process.stdout.write(`worker kill report (1.x): ${JSON.stringify(report)}\n`);
		expect(acceptedAtKill).toBeGreaterThan(0);
		expect(rerunByOtherWorker).toBe(true);
		expect(status).toBe('success');
		// The rows accepted before the kill came back as replays, not as new jobs.
		expect(replayed).toBeGreaterThanOrEqual(acceptedAtKill);
		const accepted = acceptedPerPrompt();
		expect(accepted.size).toBe(12);
		expect([...accepted.values()].every((n) => n === 1)).toBe(true);
	});
});
