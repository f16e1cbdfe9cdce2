/**
 * `npm run e2e`: the whole real-n8n suite (every test/e2e/*.e2e.test.cts, via jest.e2e.config.js)
 * once per n8n release in versions.cts, one after the other (each run starts n8n processes and
 * needs the CPU). A version may list fewer files; the newest-only files run on the newest only.
 * A red run on any version makes the exit code 1.
 *
 *   npm run e2e                              all versions
 *   npm run e2e -- --version 2.8.4           one version (repeat the flag for more)
 *   UNIALL_N8N_VERSION=2.41.1 npm run e2e    one version, listed or not
 *   npm run e2e -- test/e2e/aiAgent.e2e.test.cts    further arguments go to Jest
 *   npm run e2e -- --install-only            install every version, run nothing
 */
import { spawn } from 'node:child_process';
import path from 'node:path';

import { REPO } from './pack.cjs';
import { ensureN8n, ensureNode24 } from './runtime.cjs';
import {
	N8N_VERSIONS,
	NEWEST_N8N_VERSION,
	NEWEST_ONLY_E2E_FILES,
	nodeMajorFor,
} from './versions.cjs';

/**
 * Jest arguments for one version: the caller's, else the version's own file list (if any), else
 * the whole suite, less the newest-only files on any other version.
 */
export function jestArgsFor(version: string, jestArgs: string[]): string[] {
	if (jestArgs.length > 0) return jestArgs;
	const files = N8N_VERSIONS.find((v) => v.version === version)?.files;
	if (files) return files;
	return version === NEWEST_N8N_VERSION
		? []
		: ['--testPathIgnorePatterns', ...NEWEST_ONLY_E2E_FILES];
}

export interface MatrixArgs {
	versions: string[];
	jestArgs: string[];
	/** `--install-only`: install the versions (and Node 24) and run nothing (.ci/run, in the background). */
	installOnly: boolean;
}

export function parseMatrixArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): MatrixArgs {
	const versions: string[] = [];
	const jestArgs: string[] = [];
	let installOnly = false;
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		if (arg === '--install-only') installOnly = true;
		else if (arg === '--version' || arg === '--n8n')
			versions.push(...(argv[++i] ?? '').split(',').filter(Boolean));
		else if (arg.startsWith('--version=') || arg.startsWith('--n8n='))
			versions.push(
				...arg
					.slice(arg.indexOf('=') + 1)
					.split(',')
					.filter(Boolean),
			);
		else jestArgs.push(arg);
	}
	if (versions.length === 0 && env.UNIALL_N8N_VERSION) versions.push(env.UNIALL_N8N_VERSION);
	if (versions.length === 0)
		versions.push(...N8N_VERSIONS.filter((v) => !v.onDemand).map((v) => v.version));
	return { versions, jestArgs, installOnly };
}

interface VersionResult {
	version: string;
	exitCode: number | null;
	seconds: number;
}

function runJest(version: string, jestArgs: string[], config: string): Promise<number | null> {
	const jest = path.join(REPO, 'node_modules', 'jest', 'bin', 'jest.js');
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [jest, '-c', config, ...jestArgs], {
			cwd: REPO,
			env: { ...process.env, UNIALL_N8N_VERSION: version },
			stdio: 'inherit',
		});
		child.on('error', reject);
		child.on('close', resolve);
	});
}

/**
 * Runs a Jest config once per version; `filesFor` picks a version's files when the caller named
 * none (`npm run e2e:browser` uses it with its own config, tools/browser/matrix.cts).
 */
export async function runMatrix(
	config = 'jest.e2e.config.js',
	filesFor: (version: string, jestArgs: string[]) => string[] = jestArgsFor,
): Promise<number> {
	const { versions, jestArgs, installOnly } = parseMatrixArgs(process.argv.slice(2));
	const say = (line: string) => process.stdout.write(`${line}\n`);
	const results: VersionResult[] = [];
	const started = Date.now();
	// A fresh machine installs every version first, side by side (mostly download time), instead of
	// one after the other in each Jest run's globalSetup. Node 24 comes first: the installs share it.
	if (versions.some((v) => nodeMajorFor(v) === 24) && !process.env.UNIALL_N8N_NODE)
		await ensureNode24(say);
	await Promise.all(versions.map(async (version) => await ensureN8n(version, say)));
	say(`==== n8n ${versions.join(', ')} ready after ${Math.round((Date.now() - started) / 1000)} s`);
	if (installOnly) return 0;
	for (const version of versions) {
		say(`\n==== e2e on n8n ${version} (${versions.indexOf(version) + 1}/${versions.length})`);
		const t0 = Date.now();
		const exitCode = await runJest(version, filesFor(version, jestArgs), config);
		results.push({ version, exitCode, seconds: Math.round((Date.now() - t0) / 1000) });
		say(
			`==== n8n ${version}: ${exitCode === 0 ? 'passed' : `FAILED (jest exit ${exitCode})`} in ${results[results.length - 1].seconds} s`,
		);
	}
	say(`\n==== matrix (${config})`);
	for (const r of results)
		say(`  n8n ${r.version.padEnd(10)} ${r.exitCode === 0 ? 'passed' : 'FAILED'}  ${r.seconds} s`);
	say(`  total ${Math.round((Date.now() - started) / 1000)} s`);
	return results.every((r) => r.exitCode === 0) ? 0 : 1;
}

if (require.main === module) {
	runMatrix().then(
		(code) => process.exit(code),
		(error: Error) => {
			process.stderr.write(`e2e matrix failed: ${error.message}\n`);
			process.exit(1);
		},
	);
}
