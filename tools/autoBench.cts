/**
 * `npm run bench`, Request Format Auto: wall time of a webhook execution (Webhook -> Split Out ->
 * UniAll, default options) in ONE regular-mode n8n, against the physical ideal ceil(N/C) x latency,
 * for the first run against a Base URL and a second run that finds the format remembered; the
 * pinned format alongside. Against the stand-in's OpenAI-strict style it counts the refused POSTs
 * per run (at most the concurrency, then none) and the jobs (one per row: nobody billed twice).
 */
import type { CredentialImport } from './n8n/instance.cjs';
import type { N8nRuntime } from './n8n/runtime.cjs';
import { serveWorkflows } from './n8n/serve.cjs';
import { burst, type BenchRow } from './queue/bench.cjs';
import { textToImage, webhookWorkflow } from './queue/workflows.cjs';
import { startStandIn, type ApiStyle, type StandIn } from './stand-in/server.cjs';

const LATENCY_MS = 1000;
const TARGET = 1.15;
const SIZES = [
	{ n: 24, c: 8 },
	{ n: 96, c: 16 },
];

interface Case {
	id: string;
	style: ApiStyle;
	n: number;
	c: number;
	pinned: boolean;
	api?: StandIn;
}

export async function autoFigures(
	rowsOut: BenchRow[],
	runtime: N8nRuntime,
	tarball: string,
	log: (line: string) => void,
): Promise<void> {
	// Each case talks to its own stand-in, i.e. its own Base URL, so its first run finds nothing
	// remembered. The warm-up case pays n8n's first-execution cost on a Base URL of its own.
	const cases: Case[] = [
		{ id: 'warm', style: 'uniall', n: 8, c: 8, pinned: true },
		...SIZES.flatMap(({ n, c }) =>
			(['uniall', 'openai'] as ApiStyle[]).flatMap((style) => [
				{ id: `${style}${n}`, style, n, c, pinned: false },
				...(style === 'uniall' ? [{ id: `pinned${n}`, style, n, c, pinned: true }] : []),
			]),
		),
	];
	const credentials: CredentialImport[] = [];
	const workflows: Array<Record<string, unknown>> = [];
	for (const [i, k] of cases.entries()) {
		// Flat pictures: the stand-in renders each photo-like image on this same CPU, a cost of ours
		// that would be counted against the node (the memory rows of bench.cts use photos).
		k.api = await startStandIn({
			mode: 'sync-url',
			latencyMs: LATENCY_MS,
			apiStyle: k.style,
			flatImages: true,
		});
		const credential = { id: `uniallAutoCred${i}`, name: `bench ${k.id}` };
		credentials.push({
			...credential,
			type: 'uniAllApi',
			data: { apiKey: 'test-uniall-key', baseUrl: k.api.url },
		});
		workflows.push(
			webhookWorkflow(
				`uniallAutoWork${i}`,
				`auto-${k.id}`,
				textToImage({ concurrency: k.c, ...(k.pinned ? { requestFormat: k.style } : {}) }),
				undefined,
				credential,
			),
		);
	}
	const n8n = await serveWorkflows(runtime, tarball, credentials, workflows);
	try {
		const execute = async (k: Case, label: string) => {
			const api = k.api as StandIn;
			const before = {
				refused: api.count('generations', { status: 400 }),
				jobs: api.count('generations', { accepted: true }),
			};
			const logged = api.log.length;
			const { ms } = await burst(n8n.baseUrl, `auto-${k.id}`, `${k.id} ${label}`, 1, k.n);
			const refused = api.count('generations', { status: 400 }) - before.refused;
			const jobs = api.count('generations', { accepted: true }) - before.jobs;
			// What UniAll saw: the first POST of the run to the last image download. The webhook's
			// wall time adds n8n's own work before and after the node (Webhook, Split Out, answer).
			const seen = api.log.slice(logged).map((e) => e.at);
			const span = Math.max(...seen) - Math.min(...seen);
			log(
				`${k.id} ${label}: ${(ms / 1000).toFixed(2)} s (first POST to last download ` +
					`${(span / 1000).toFixed(2)} s), ${refused} refused, ${jobs} jobs`,
			);
			return { ms, span, refused, jobs };
		};
		await execute(cases[0], 'warm-up');
		for (const k of cases.slice(1)) {
			const ideal = Math.ceil(k.n / k.c) * LATENCY_MS;
			const runs = k.pinned ? ['pinned'] : ['first run', 'second run'];
			for (const label of runs) {
				const { ms, span, refused, jobs } = await execute(k, label);
				const refusedOk = label === 'first run' ? refused <= k.c : refused === 0;
				const what = k.pinned
					? `Request Format pinned (${k.style})`
					: `Auto, ${k.style === 'openai' ? 'OpenAI-strict' : 'UniAll'} style, ${label}`;
				rowsOut.push({
					figure: `${k.n} rows at concurrency ${k.c}, ${what}`,
					value:
						`${(ms / 1000).toFixed(2)} s (at UniAll ${(span / 1000).toFixed(2)} s), ` +
						`${refused} refused, ${jobs} jobs`,
					baseline: `ideal ceil(${k.n}/${k.c}) x 1 s = ${ideal / 1000} s`,
					ratio: ms / ideal,
					// The time target is the UniAll style's; the OpenAI-strict rows are judged on counts.
					target:
						(k.style === 'openai' ? '' : `<= ${TARGET}x; `) +
						`refused ${label === 'first run' ? `<= ${k.c}` : '0'}; ${k.n} jobs`,
					ok: (k.style === 'openai' || ms / ideal <= TARGET) && refusedOk && jobs === k.n,
				});
			}
		}
	} finally {
		await n8n.stop();
		await Promise.all(cases.map(async (k) => await k.api?.close()));
	}
}
