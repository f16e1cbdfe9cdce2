/**
 * `npm start`: the n8n editor with this package installed, the stand-in running, a credential
 * pointing at it, the demo and example workflows imported and an owner account ready.
 * Open http://localhost:5678, log in, open a workflow and press "Execute workflow".
 * Ports: N8N_PORT (5678) for n8n, UNIALL_STAND_IN_PORT (8787) for the stand-in.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { demoWorkflow } from './demo/workflow.cjs';
import { freePort, N8nInstance, PortTakenError } from './n8n/instance.cjs';
import { FASTEST_POLL_SECONDS } from './n8n/workflow.cjs';
import { OWNER, setUpOwner } from './n8n/owner.cjs';
import { buildAndPack, REPO } from './n8n/pack.cjs';
import { ensureN8n } from './n8n/runtime.cjs';
import { startStandIn } from './stand-in/server.cjs';

export const STAND_IN_CREDENTIAL = { id: 'uniallStandIn001', name: 'UniAll (local stand-in)' };

const log = (line: string) => process.stdout.write(`${line}\n`);

/**
 * The ports `npm start` uses: N8N_PORT for n8n, UNIALL_STAND_IN_PORT for the stand-in (another
 * developer's stand-in may hold 8787). A value that is not a port is refused, naming the variable.
 */
export function portsFromEnv(env: NodeJS.ProcessEnv = process.env): {
	n8n: number;
	standIn: number;
} {
	const port = (name: string, fallback: number) => {
		const raw = env[name];
		if (raw === undefined || raw === '') return fallback;
		const value = Number(raw);
		if (!Number.isInteger(value) || value < 1 || value > 65_535)
			throw new Error(`${name} must be a port number from 1 to 65535, got "${raw}"`);
		return value;
	};
	return { n8n: port('N8N_PORT', 5678), standIn: port('UNIALL_STAND_IN_PORT', 8787) };
}

export async function startEditor(
	options: {
		/**
		 * `'free'`: a free port picked right before n8n starts, and picked again when another
		 * process takes it first (an ephemeral port picked early was taken once in CI).
		 */
		port?: number | 'free';
		/** 0: any free port, bound by the stand-in itself. */
		standInPort?: number;
		quiet?: boolean;
		/** n8n release (default: UNIALL_N8N_VERSION, else DEFAULT_N8N_VERSION). */
		version?: string;
		/** Where n8n keeps its data (default: .n8n-run/, kept between runs). */
		userFolder?: string;
	} = {},
) {
	const ports = portsFromEnv();
	const userFolder = options.userFolder ?? path.join(REPO, '.n8n-run');
	const outputDir = path.join(REPO, 'output');
	mkdirSync(outputDir, { recursive: true });
	const [tarball, runtime] = await Promise.all([
		buildAndPack(log),
		ensureN8n(options.version, log),
	]);
	// A new user folder has no owner yet: an "owner exists" answer then comes from another n8n.
	const fresh = !existsSync(path.join(userFolder, '.n8n'));
	const n8n = new N8nInstance(runtime, {
		userFolder,
		fileAccess: [path.join(REPO, 'tools', 'demo'), path.join(REPO, 'examples'), outputDir],
	});
	await n8n.installPackage(tarball);
	rmSync(path.dirname(tarball), { recursive: true, force: true });

	const standIn = await startStandIn({
		port: options.standInPort ?? ports.standIn,
		mode: 'async',
		latencyMs: 2500,
	});
	await n8n.importCredentials([
		{
			...STAND_IN_CREDENTIAL,
			type: 'uniAllApi',
			data: { apiKey: 'test-uniall-key', baseUrl: standIn.url },
		},
	]);
	const workflows = [
		demoWorkflow({
			csvPath: path.join(REPO, 'tools', 'demo', 'rows.csv'),
			outputDir,
			credential: STAND_IN_CREDENTIAL,
			pollInterval: FASTEST_POLL_SECONDS,
		}),
	];
	for (const file of existsSync(path.join(REPO, 'examples'))
		? readdirSync(path.join(REPO, 'examples')).sort()
		: []) {
		if (file.endsWith('.json'))
			workflows.push(JSON.parse(readFileSync(path.join(REPO, 'examples', file), 'utf8')));
	}
	await importChangedWorkflows(n8n, workflows, options.quiet ? () => {} : log);

	const { port, editor } = await startOnPort(n8n, options.port ?? ports.n8n, options.quiet);
	try {
		await setUpOwner(port, { fresh });
	} catch (error) {
		await editor.stop();
		await standIn.close();
		throw error;
	}
	return {
		url: `http://localhost:${port}`,
		version: runtime.version,
		standIn,
		stop: async () => {
			await editor.stop();
			await standIn.close();
		},
	};
}

/** `n8n start` on `wanted`, or on a free port (tried up to three times when another process takes it). */
export async function startOnPort(n8n: N8nInstance, wanted: number | 'free', quiet?: boolean) {
	for (let attempt = 1; ; attempt++) {
		const port = wanted === 'free' ? await freePort() : wanted;
		log(`Starting n8n ${n8n.runtime.version} on http://localhost:${port} ...`);
		try {
			const editor = await n8n.start(port, quiet ? undefined : (t) => process.stdout.write(t));
			return { port, editor };
		} catch (error) {
			if (wanted !== 'free' || !(error instanceof PortTakenError) || attempt === 3) throw error;
			log(`Port ${port} was taken before n8n started; picking another.`);
		}
	}
}

/**
 * The user folder persists, and people edit the imported workflows in the editor: import a
 * workflow again only when the repository's version of it changed since the last `npm start`
 * (remove .n8n-run/ to start from scratch).
 */
async function importChangedWorkflows(
	n8n: N8nInstance,
	workflows: Array<Record<string, unknown>>,
	say: (line: string) => void,
) {
	const stateFile = path.join(n8n.userFolder, 'imported-workflows.json');
	const state: Record<string, string> = existsSync(stateFile)
		? JSON.parse(readFileSync(stateFile, 'utf8'))
		: {};
	const hash = (w: Record<string, unknown>) =>
		createHash('sha256').update(JSON.stringify(w)).digest('hex');
	const changed = workflows.filter((w) => state[String(w.id)] !== hash(w));
	if (changed.length) {
		say(
			`Importing ${changed.length} workflow(s): ${changed.map((w) => String(w.name)).join(', ')}`,
		);
		await n8n.importWorkflows(changed);
		for (const w of changed) state[String(w.id)] = hash(w);
		writeFileSync(stateFile, JSON.stringify(state, null, 2));
	}
	const kept = workflows.length - changed.length;
	if (kept)
		say(
			`${kept} workflow(s) unchanged in the repository: kept as they are in n8n (edits made in the editor stay).`,
		);
}

if (require.main === module) {
	startEditor()
		.then(({ url, stop }) => {
			log('');
			log(`n8n is ready: ${url}`);
			log(`  log in with ${OWNER.email} / ${OWNER.password}`);
			log(
				'  open "UniAll demo: product images from spreadsheet rows" (or "UniAll: submit now, fetch later (Wait + Get Task loop)") and press "Execute workflow";',
			);
			log(
				'  examples 1, 2, 3 and 5 need accounts of their own (Google, WordPress, Telegram, LinkedIn, X) and do not run as they are',
			);
			log(
				'  the credential "UniAll (local stand-in)" points at the local stand-in; images are written to output/',
			);
			log('Press Ctrl-C to stop.');
			const shutdown = () => void stop().then(() => process.exit(0));
			process.on('SIGINT', shutdown);
			process.on('SIGTERM', shutdown);
		})
		.catch((error: Error) => {
			process.stderr.write(`start failed: ${error.message}\n`);
			process.exit(1);
		});
}
