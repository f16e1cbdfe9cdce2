/**
 * `npm run demo`: the main job, end to end, in a real n8n. Builds and packs this package,
 * installs it into a throw-away n8n like a user would, and runs the spreadsheet-rows workflow
 * against the local UniAll stand-in (or the real API when UNIALL_API_KEY is set).
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';

import { sniffImage } from '../../nodes/UniAllGptImage2/helpers/imageInfo';

import { DEMO_WORKFLOW_ID, NODE_NAME, WRITE_NODE, demoWorkflow } from './workflow.cjs';
import { N8nInstance } from '../n8n/instance.cjs';
import { FASTEST_POLL_SECONDS } from '../n8n/workflow.cjs';
import { buildAndPack, REPO } from '../n8n/pack.cjs';
import { ensureN8n } from '../n8n/runtime.cjs';
import { startStandIn, type StandIn } from '../stand-in/server.cjs';

const log = (line: string) => process.stdout.write(`${line}\n`);

async function main() {
	const outputDir = path.join(REPO, 'output');
	const csvPath = path.join(REPO, 'tools', 'demo', 'rows.csv');
	const realKey = process.env.UNIALL_API_KEY?.trim();

	const [tarball, runtime] = await Promise.all([buildAndPack(log), ensureN8n(undefined, log)]);
	const n8n = new N8nInstance(runtime, { fileAccess: [path.dirname(csvPath), outputDir] });
	log(
		`Installing the package into a fresh n8n ${runtime.version} user folder (${n8n.userFolder})...`,
	);
	await n8n.installPackage(tarball);
	rmSync(path.dirname(tarball), { recursive: true, force: true });

	let standIn: StandIn | undefined;
	let baseUrl: string;
	let apiKey: string;
	if (realKey) {
		baseUrl = process.env.UNIALL_BASE_URL?.trim() || 'https://api.uniall.ai';
		apiKey = realKey;
		log(`Using the REAL UniAll API at ${baseUrl} (UNIALL_API_KEY is set). This is billed.`);
	} else {
		standIn = await startStandIn({ mode: 'async', latencyMs: 1500 });
		baseUrl = standIn.url;
		apiKey = 'test-uniall-key';
		log(`Using the local UniAll stand-in at ${baseUrl} (no key needed, nothing is billed).`);
	}

	try {
		const credential = {
			id: 'uniallDemoCred01',
			name: realKey ? 'UniAll AI' : 'UniAll (local stand-in)',
		};
		await n8n.importCredentials([{ ...credential, type: 'uniAllApi', data: { apiKey, baseUrl } }]);
		await n8n.importWorkflow(
			demoWorkflow({
				csvPath,
				outputDir,
				credential,
				pollInterval: realKey ? undefined : FASTEST_POLL_SECONDS,
			}),
		);

		rmSync(outputDir, { recursive: true, force: true });
		mkdirSync(outputDir, { recursive: true });
		log('Running the workflow headless (n8n execute)...');
		const started = Date.now();
		const result = await n8n.execute(DEMO_WORKFLOW_ID);
		if (!result.ok) {
			log(`The workflow failed: ${result.error?.message ?? 'see the n8n output below'}`);
			if (result.error?.description) log(`  ${result.error.description}`);
			if (!result.error) log(result.output.slice(-3000));
			process.exitCode = 1;
			return;
		}
		const images = result.items(NODE_NAME);
		const written = result.items(WRITE_NODE);
		const rows = images.map((item, i) => {
			const json = item.json;
			const file =
				written[i]?.json?.fileName ??
				(written[i]?.binary?.data as { fileName?: string } | undefined)?.fileName;
			return {
				row: String(((item.pairedItem as { item?: number } | undefined)?.item ?? i) + 1),
				prompt: String(json.prompt ?? json.error ?? ''),
				file: file ? path.relative(REPO, String(file)) : '-',
				size: json.width ? `${json.width} x ${json.height}` : '-',
				cost: typeof json.cost === 'number' ? `$${json.cost.toFixed(5)}` : '-',
			};
		});
		printTable(rows);
		const total =
			images.reduce(
				(sum, item) =>
					sum + (typeof item.json.cost === 'number' ? Math.round(item.json.cost * 1e5) : 0),
				0,
			) / 1e5;
		log(
			`\n${images.length} images in ${((Date.now() - started) / 1000).toFixed(1)} s, total cost $${total.toFixed(5)}${realKey ? '' : ' (stand-in: not billed)'}`,
		);
		// Which of UniAll's two documented request bodies the API took (Request Format: auto).
		const formats = [
			...new Set(
				images.map((item) => item.json.requestFormat).filter((f) => typeof f === 'string'),
			),
		];
		const formatNames: Record<string, string> = {
			uniall: 'UniAll (aspect_ratio, resolution)',
			openai: 'OpenAI-compatible (size, n)',
		};
		log(
			`Request format ${baseUrl} accepted: ${formats.map((f) => formatNames[String(f)] ?? String(f)).join(', ') || 'none (no image was delivered)'}`,
		);
		// Check what n8n wrote: one file per image, a real image of the size the node reported.
		const problems: string[] = [];
		for (const [i, item] of images.entries()) {
			const file = rows[i].file === '-' ? undefined : path.join(REPO, rows[i].file);
			const info = file && existsSync(file) ? sniffImage(readFileSync(file)) : undefined;
			if (!file || !existsSync(file)) problems.push(`row ${rows[i].row}: no file written`);
			else if (!info || info.width !== item.json.width || info.height !== item.json.height)
				problems.push(
					`row ${rows[i].row}: ${rows[i].file} is not the ${rows[i].size} image the node reported`,
				);
		}
		if (images.length === 0) problems.push('the node returned no images');
		if (problems.length) {
			log(`\nThe files in output/ do not match: ${problems.join('; ')}`);
			process.exitCode = 1;
			return;
		}
		log(
			`Images are in ${path.relative(process.cwd(), outputDir) || '.'}/ (checked: ${readdirSync(outputDir).length} image files): ${readdirSync(outputDir).join(', ')}`,
		);
	} finally {
		await standIn?.close();
		rmSync(n8n.userFolder, { recursive: true, force: true });
	}
}

function printTable(rows: Array<Record<string, string>>) {
	const headers = ['row', 'prompt', 'file', 'size', 'cost'];
	const clip = (s: string) => (s.length > 60 ? `${s.slice(0, 57)}...` : s);
	const widths = headers.map((h) => Math.max(h.length, ...rows.map((r) => clip(r[h]).length)));
	const line = (cells: string[]) => cells.map((c, i) => clip(c).padEnd(widths[i])).join(' | ');
	log('');
	log(line(headers));
	log(widths.map((w) => '-'.repeat(w)).join('-|-'));
	for (const r of rows) log(line(headers.map((h) => r[h])));
}

main().catch((error: Error) => {
	process.stderr.write(`demo failed: ${error.message}\n`);
	process.exit(1);
});
