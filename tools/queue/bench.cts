/**
 * `npm run bench -- --queue`: the queue-mode figures, each next to a baseline measured in the same
 * run. 4 webhook executions of 24 rows at once (node concurrency 4, stand-in latency 1 s) on two
 * workers, on one worker, and on a regular-mode n8n; then each worker's peak RSS with 4K images.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';

import { buildAndPack } from '../n8n/pack.cjs';
import { ensureN8n } from '../n8n/runtime.cjs';
import { serveWorkflows } from '../n8n/serve.cjs';
import { startStandIn } from '../stand-in/server.cjs';
import { startQueueCluster } from './cluster.cjs';
import { QUEUE_CREDENTIAL, rows, textToImage, webhookWorkflow } from './workflows.cjs';

export interface BenchRow {
	figure: string;
	value: string;
	baseline: string;
	ratio: number;
	target: string;
	ok: boolean;
}

const MB = 1024 * 1024;
const EXECUTIONS = 4;
const ROWS = 24;
const CONCURRENCY = 4;
const LATENCY_MS = 1000;

/** Fires the executions at once; the wall time runs until the last webhook answered. */
export async function burst(
	baseUrl: string,
	webhookPath: string,
	tag: string,
	count = EXECUTIONS,
	rowCount = ROWS,
	extra: Record<string, unknown> = {},
) {
	const started = performance.now();
	const answers = await Promise.all(
		Array.from({ length: count }, async (_, e) => {
			const res = await fetch(`${baseUrl}/webhook/${webhookPath}`, {
				method: 'POST',
				headers: { 'Content-Type': 'application/json' },
				body: JSON.stringify({ rows: rows(`${tag} ${e + 1}`, rowCount, extra) }),
			});
			const items = (await res.json()) as Array<{ error?: string; fileSize?: number }>;
			if (!res.ok || items.length !== rowCount || items.some((i) => i.error))
				throw new Error(`${tag}: execution ${e + 1} failed (HTTP ${res.status})`);
			return items;
		}),
	);
	return { ms: performance.now() - started, items: answers.flat() };
}

export async function queueFigures(
	rowsOut: BenchRow[],
	log: (line: string) => void,
): Promise<void> {
	const api = await startStandIn({ mode: 'sync-url', latencyMs: LATENCY_MS });
	const [tarball, runtime] = await Promise.all([buildAndPack(log), ensureN8n(undefined, log)]);
	const credentials = [
		{
			...QUEUE_CREDENTIAL,
			type: 'uniAllApi',
			data: { apiKey: 'test-uniall-key', baseUrl: api.url },
		},
	];
	const ideal = Math.ceil(ROWS / CONCURRENCY) * LATENCY_MS;
	// Format pinned for the scaling figures; the Auto row shows that detecting it costs no time.
	const workflows = [
		webhookWorkflow(
			'uniallBenchQueue1',
			'bench',
			textToImage({ concurrency: CONCURRENCY, requestFormat: 'uniall' }),
		),
		webhookWorkflow('uniallBenchQueue2', 'bench-auto', textToImage({ concurrency: CONCURRENCY })),
	];
	try {
		// Two workers, each running two executions at once: the four run side by side.
		const cluster = await startQueueCluster({
			runtime,
			tarball,
			credentials,
			workflows,
			workers: 2,
			workerConcurrency: 2,
			log,
		});
		let twoWorkers = 0;
		let oneWorker = 0;
		try {
			await burst(cluster.baseUrl, 'bench', 'warm-up', 2);
			twoWorkers = (await burst(cluster.baseUrl, 'bench', 'two workers')).ms;
			rowsOut.push({
				figure: `${EXECUTIONS} x ${ROWS} rows, 2 workers (1 s latency, node concurrency ${CONCURRENCY})`,
				value: `${(twoWorkers / 1000).toFixed(2)} s`,
				baseline: `ideal ${ideal / 1000} s`,
				ratio: twoWorkers / ideal,
				target: '<= 1.2x',
				ok: twoWorkers / ideal <= 1.2,
			});
			const auto = (await burst(cluster.baseUrl, 'bench-auto', 'auto')).ms;
			rowsOut.push({
				figure: '  the same with Request Format Auto (no row waits; each worker learns once)',
				value: `${(auto / 1000).toFixed(2)} s`,
				baseline: `ideal ${ideal / 1000} s`,
				ratio: auto / ideal,
				target: 'reference',
				ok: true,
			});

			// 4K images: each worker's peak RSS over its resident size when idle, in images.
			api.configure({ latencyMs: 200, largeImages: true });
			// Idle = resident size after the 1K runs, just before the 4K load.
			const idle = cluster.workers.map((w) => w.currentRssBytes());
			for (const w of cluster.workers) w.peakRssBytes = 0;
			// Two executions of 8 rows each: one per worker when n8n spreads them, 4 images in flight each.
			const big = await burst(cluster.baseUrl, 'bench', '4K', 2, 8, { resolution: '4K' });
			const imageBytes = Number(big.items[0]?.fileSize ?? 0);
			cluster.workers.forEach((w, i) => {
				const growth = w.peakRssBytes - idle[i];
				rowsOut.push({
					figure: `${w.name} peak RSS, 4K images (${(imageBytes / MB).toFixed(1)} MB each)`,
					value: `${(w.peakRssBytes / MB).toFixed(0)} MB`,
					baseline: `idle ${(idle[i] / MB).toFixed(0)} MB`,
					ratio: imageBytes ? growth / imageBytes : NaN,
					target: 'growth < 4 images',
					ok: imageBytes > 0 && growth < 4 * imageBytes,
				});
			});
			api.configure({ latencyMs: LATENCY_MS, largeImages: false });

			// One worker: stop the second and run the same load.
			const second = cluster.workers[1].child;
			const exited = new Promise((r) => second.once('exit', r));
			second.kill('SIGTERM');
			await exited;
			oneWorker = (await burst(cluster.baseUrl, 'bench', 'one worker')).ms;
			rowsOut.push({
				figure: `${EXECUTIONS} x ${ROWS} rows, 1 worker`,
				value: `${(oneWorker / 1000).toFixed(2)} s`,
				baseline: `2 workers: ${(twoWorkers / 1000).toFixed(2)} s`,
				ratio: oneWorker / twoWorkers,
				target: 'speed-up from 2',
				ok: oneWorker > twoWorkers,
			});
		} finally {
			await cluster.stop();
		}

		// Regular mode: one n8n process takes the same webhooks and runs the executions itself.
		const regular = await serveWorkflows(runtime, tarball, credentials, workflows);
		try {
			await burst(regular.baseUrl, 'bench', 'warm-up regular', 2);
			const regularMs = (await burst(regular.baseUrl, 'bench', 'regular')).ms;
			rowsOut.push({
				figure: `${EXECUTIONS} x ${ROWS} rows, regular mode (one process)`,
				value: `${(regularMs / 1000).toFixed(2)} s`,
				baseline: `2 workers: ${(twoWorkers / 1000).toFixed(2)} s`,
				ratio: regularMs / twoWorkers,
				target: 'reference',
				ok: true,
			});
		} finally {
			await regular.stop();
			rmSync(path.dirname(tarball), { recursive: true, force: true });
		}
	} finally {
		await api.close();
	}
}
