/**
 * `npm run bench`: throughput, overhead and memory figures, each next to a baseline measured in
 * the same run. Timing claims live here, never in unit tests.
 *   1. wall time of N rows at concurrency C in a real n8n vs the ideal ceil(N/C) x latency, and vs C=1;
 *      Request Format Auto's first and second run in one n8n (autoBench.cts)
 *   2. per-image overhead of the node (in-process n8n execution) over a bare HTTP client
 *   3. peak RSS of a real n8n execution producing 12 incompressible 4K images vs one 1K image; the
 *      same with the stand-in's photo-like 4K pictures as PNG and as JPEG at 85 (what users post)
 * `--queue` runs the queue-mode figures instead (tools/queue/bench.cts); `--auto` only the
 * Request Format Auto rows of 1.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import path from 'node:path';

import { autoFigures } from './autoBench.cjs';
import * as harness from './n8n/inProcess.cjs';
import { N8nInstance } from './n8n/instance.cjs';
import { buildAndPack, REPO } from './n8n/pack.cjs';
import { ensureN8n, run, type N8nRuntime } from './n8n/runtime.cjs';
import { csvToUniAllWorkflow, rowTextToImage, UNIALL_NODE_NAME } from './n8n/workflow.cjs';
import { queueFigures, type BenchRow } from './queue/bench.cjs';
import { startStandIn, type StandIn } from './stand-in/server.cjs';

const log = (line: string) => process.stdout.write(`${line}\n`);
const NODE = UNIALL_NODE_NAME;
const CRED = { id: 'uniallBenchCred1', name: 'UniAll bench' };
const MB = 1024 * 1024;

type Row = BenchRow;

async function realN8nFigures(rows: Row[], runtime: N8nRuntime, tarball: string) {
	const work = mkdtempSync(path.join(tmpdir(), 'uniall-bench-'));
	const n8n = new N8nInstance(runtime, { fileAccess: [work] });
	await n8n.installPackage(tarball);
	// Throughput rows use the stand-in's flat pictures: it renders each photo-like image on this same
	// CPU (about 0.1 s per 1K PNG), a cost of ours that is not UniAll's latency. Memory rows use photos.
	const api = await startStandIn({ mode: 'sync-url', latencyMs: 1000, flatImages: true });
	await n8n.importCredentials([
		{ ...CRED, type: 'uniAllApi', data: { apiKey: 'test-uniall-key', baseUrl: api.url } },
	]);
	const csv = (name: string, n: number) => {
		const file = path.join(work, `${name}.csv`);
		writeFileSync(
			file,
			['prompt', ...Array.from({ length: n }, (_, i) => `row ${i + 1}`)].join('\n'),
		);
		return file;
	};
	/** The CSV rows -> UniAll workflow (no files written), run once; the UniAll node's run data. */
	const nodeTime = async (
		id: string,
		csvPath: string,
		parameters: Record<string, unknown>,
		measureMemory = false,
	) => {
		await n8n.importWorkflow(
			csvToUniAllWorkflow(id, { csvPath, parameters, credential: CRED }, id),
		);
		const result = await n8n.execute(id, { measureMemory });
		if (!result.ok)
			throw new Error(`${id} failed: ${result.error?.message ?? result.output.slice(-500)}`);
		return { ms: result.runData[NODE][0] as unknown as { executionTime: number }, result };
	};
	try {
		// 1. Throughput: 24 rows of a 1 s model.
		const n = 24;
		const c = 8;
		const latency = 1000;
		// Request Format pinned: each `n8n execute` is a new process, which remembers no format
		// (autoFigures measures Auto in one long-running n8n).
		const params = (concurrency: number) =>
			rowTextToImage({ concurrency, requestFormat: 'uniall' });
		// A warm-up run: the first workflow a fresh n8n runs pays its own start-up.
		await nodeTime('benchWarmUp00001', csv('rows8', 8), params(c));
		const parallel = (await nodeTime('benchParallel01', csv('rows24', n), params(c))).ms
			.executionTime;
		const ideal = Math.ceil(n / c) * latency;
		rows.push({
			figure: `${n} rows at concurrency ${c} (1 s latency)`,
			value: `${(parallel / 1000).toFixed(2)} s`,
			baseline: `ideal ${ideal / 1000} s`,
			ratio: parallel / ideal,
			target: '<= 1.3x',
			ok: parallel / ideal <= 1.3,
		});
		const sequential = (await nodeTime('benchSequent01', csv('rows24b', n), params(1))).ms
			.executionTime;
		rows.push({
			figure: `${n} rows at concurrency 1 (the peers' behaviour)`,
			value: `${(sequential / 1000).toFixed(2)} s`,
			baseline: `concurrency ${c}: ${(parallel / 1000).toFixed(2)} s`,
			ratio: sequential / parallel,
			target: 'speed-up',
			ok: sequential > parallel,
		});

		// 3. Memory: 12 incompressible 4K images (~24 MB each) at concurrency 4, vs one 1K image.
		api.configure({ latencyMs: 200, largeImages: false, flatImages: false });
		const small = await nodeTime('benchMemSmall01', csv('one', 1), params(4), true);
		api.configure({ largeImages: true });
		const big = await nodeTime(
			'benchMemLarge01',
			csv('twelve', 12),
			rowTextToImage({ concurrency: 4 }, { aspectRatio: '16:9', resolution: '4K' }),
			true,
		);
		const imageBytes = Number(big.result.items(NODE)[0]?.json.fileSize ?? 0);
		const growth = big.result.peakRssBytes - small.result.peakRssBytes;
		rows.push({
			figure: `peak RSS, 12 x 4K (${(imageBytes / MB).toFixed(1)} MB each), concurrency 4`,
			value: `${(big.result.peakRssBytes / MB).toFixed(0)} MB`,
			baseline: `1 x 1K: ${(small.result.peakRssBytes / MB).toFixed(0)} MB`,
			ratio: growth / imageBytes,
			target: 'growth < 4 images',
			ok: growth < 4 * imageBytes,
		});

		// The same 12 x 4K with the stand-in's photo-like pictures, as PNG (the default) and as the
		// JPEG at 85 that X, Telegram and Instagram take: what a user's next node receives.
		api.configure({ largeImages: false });
		let pngPeak = 0;
		for (const format of ['png', 'jpeg'] as const) {
			const output = format === 'png' ? {} : { outputFormat: 'jpeg', outputCompression: 85 };
			const photo = await nodeTime(
				`benchMem4k${format}01`,
				csv(`twelve-${format}`, 12),
				rowTextToImage({ concurrency: 4, ...output }, { aspectRatio: '16:9', resolution: '4K' }),
				true,
			);
			const items = photo.result.items(NODE);
			const bytes = items.reduce((sum, item) => sum + Number(item.json.fileSize ?? 0), 0);
			const each = bytes / Math.max(items.length, 1);
			const peak = photo.result.peakRssBytes;
			const figure = `peak RSS, 12 x 4K photo-like ${format.toUpperCase()} (${(each / MB).toFixed(1)} MB each, ${items.length} delivered), concurrency 4, ${(photo.ms.executionTime / 1000).toFixed(2)} s`;
			if (format === 'png') {
				pngPeak = peak;
				const grew = peak - small.result.peakRssBytes;
				rows.push({
					figure,
					value: `${(peak / MB).toFixed(0)} MB`,
					baseline: `1 x 1K: ${(small.result.peakRssBytes / MB).toFixed(0)} MB`,
					ratio: grew / each,
					target: 'growth < 4 images',
					ok: items.length === 12 && grew < 4 * each,
				});
			} else {
				// A JPEG is a few percent of the PNG: "growth in images" would measure noise, so the
				// JPEG run is held against the PNG run instead.
				rows.push({
					figure,
					value: `${(peak / MB).toFixed(0)} MB`,
					baseline: `the same as PNG: ${(pngPeak / MB).toFixed(0)} MB`,
					ratio: peak / pngPeak,
					target: '<= the PNG run',
					ok: items.length === 12 && peak <= pngPeak,
				});
			}
		}
	} finally {
		await api.close();
		rmSync(n8n.userFolder, { recursive: true, force: true });
		rmSync(work, { recursive: true, force: true });
	}
}

/** 2. Overhead per image: the node in an in-process n8n execution vs plain fetch doing the same calls. */
async function overheadFigure(rows: Row[]) {
	await run('npm', ['run', 'build'], REPO);
	harness.useNodeClass(
		require(path.join(REPO, 'dist/nodes/UniAllGptImage2/UniAllGptImage2.node.js')).UniAllGptImage2,
	);
	const api: StandIn = await startStandIn({ mode: 'sync-url', latencyMs: 0 });
	const n = 60;
	const items = Array.from({ length: n }, (_, i) => ({ json: { prompt: `row ${i}` } }));
	const parameters = rowTextToImage({ concurrency: 1 });
	const bare = async () => {
		const started = performance.now();
		for (const item of items) {
			const res = await fetch(`${api.url}/v1/images/generations`, {
				method: 'POST',
				headers: { Authorization: 'Bearer test-uniall-key', 'Content-Type': 'application/json' },
				body: JSON.stringify({
					model: 'gpt-image-2-origin',
					generation_mode: 'text_to_image',
					prompt: item.json.prompt,
					aspect_ratio: '1:1',
					resolution: '1K',
					num_images: 1,
				}),
			});
			const { data } = (await res.json()) as { data: Array<{ url: string }> };
			await (await fetch(data[0].url)).arrayBuffer();
		}
		return performance.now() - started;
	};
	const node = async () => {
		const started = performance.now();
		const { error } = await harness.runNode({
			credentials: { apiKey: 'test-uniall-key', baseUrl: api.url },
			items,
			parameters,
		});
		if (error) throw error;
		return performance.now() - started;
	};
	try {
		await bare();
		await node(); // warm both paths (JIT, image cache)
		const bareMs = Math.min(await bare(), await bare());
		const nodeMs = Math.min(await node(), await node());
		const perImage = (nodeMs - bareMs) / n;
		rows.push({
			figure: 'overhead per image over a bare HTTP client',
			value: `${perImage.toFixed(1)} ms`,
			baseline: `bare client ${(bareMs / n).toFixed(1)} ms/image`,
			ratio: nodeMs / bareMs,
			target: '< 15 ms',
			ok: perImage < 15,
		});
	} finally {
		await api.close();
		await harness.stopHarness();
	}
}

async function main() {
	const rows: Row[] = [];
	log(
		`Machine: ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 1024 ** 3).toFixed(0)} GB, Node ${process.version}`,
	);
	if (process.argv.includes('--queue')) {
		await queueFigures(rows, log);
	} else {
		if (!process.argv.includes('--auto')) await overheadFigure(rows);
		const [tarball, runtime] = await Promise.all([buildAndPack(log), ensureN8n(undefined, log)]);
		try {
			await autoFigures(rows, runtime, tarball, log);
			if (!process.argv.includes('--auto')) await realN8nFigures(rows, runtime, tarball);
		} finally {
			rmSync(path.dirname(tarball), { recursive: true, force: true });
		}
	}
	log('');
	const headers = ['figure', 'value', 'baseline', 'ratio', 'target', 'ok'];
	const cells = rows.map((r) => [
		r.figure,
		r.value,
		r.baseline,
		`${r.ratio.toFixed(2)}x`,
		r.target,
		r.ok ? 'yes' : 'NO',
	]);
	const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
	log(`| ${headers.map((h, i) => h.padEnd(widths[i])).join(' | ')} |`);
	log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
	for (const c of cells) log(`| ${c.map((v, i) => v.padEnd(widths[i])).join(' | ')} |`);
	if (rows.some((r) => !r.ok)) process.exitCode = 1;
}

main().catch((error: Error) => {
	process.stderr.write(`bench failed: ${error.stack ?? error.message}\n`);
	process.exit(1);
});
