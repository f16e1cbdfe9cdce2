/**
 * A local npm registry (Verdaccio) holding only this package, and an n8n set up to install from
 * it through Settings -> Community Nodes, for the install step of the browser suite.
 *
 * What n8n needs for that (read in n8n's community-packages service and npm-utils of 1.123.81,
 * 2.8.4 and 2.41.1, the same on all three): every npm call of the installer carries
 * `--registry=<N8N_COMMUNITY_PACKAGES_REGISTRY>` (default https://registry.npmjs.org), so npm's
 * own registry setting (.npmrc, NPM_CONFIG_REGISTRY) never applies; and any other value throws
 * "Your license does not allow for feat:communityNodes:customRegistry" unless the licence has
 * that feature. Here the licence check is answered by n8n's own E2E test switch (E2E_TESTS=true,
 * PATCH /rest/e2e/feature), which only exists in a throw-away instance like this one.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { freePort, N8nInstance } from '../n8n/instance.cjs';
import { setUpOwner } from '../n8n/owner.cjs';
import {
	cacheInstallFolder,
	cacheRoot,
	ensureN8n,
	installedIn,
	markInstalled,
	npmEnv,
	run,
} from '../n8n/runtime.cjs';

/** The newest Verdaccio that installs on Node 20 (6.10 wants Node 22), pinned. */
export const VERDACCIO_VERSION = '6.8.0';

/** n8n's licence feature for N8N_COMMUNITY_PACKAGES_REGISTRY (@n8n/constants LICENSE_FEATURES). */
export const CUSTOM_REGISTRY_FEATURE = 'feat:communityNodes:customRegistry';

/**
 * Verdaccio installed once into a cache folder of its own (never into this project: its
 * `overrides` would leak into the package rules). node-fetch 2.7.0: Verdaccio 6.8.0's own range
 * resolves to a release that does not install here.
 */
export async function ensureVerdaccio(log: (line: string) => void = () => {}): Promise<string> {
	const folder = `verdaccio-${VERDACCIO_VERSION}`;
	const dir = path.join(cacheRoot(), folder);
	const bin = path.join(dir, 'node_modules', 'verdaccio', 'bin', 'verdaccio');
	if (installedIn(dir, bin)) return bin;
	cacheInstallFolder(folder, {
		dependencies: { verdaccio: VERDACCIO_VERSION },
		overrides: { 'node-fetch': '2.7.0' },
	});
	log(`Installing Verdaccio ${VERDACCIO_VERSION} into ${dir} (first run only, about a minute)...`);
	await run('npm', ['install', '--no-audit', '--no-fund'], dir, undefined, npmEnv());
	markInstalled(dir);
	return bin;
}

export interface LocalRegistry {
	url: string;
	/** `npm publish` of a packed tarball, as the package's maintainer would (a registry user's token). */
	publish(tarball: string): Promise<void>;
	stop(): Promise<void>;
}

/** Verdaccio on a free local port: storage in a temp folder, no uplink, one user who may publish. */
export async function startLocalRegistry(log: (line: string) => void = () => {}) {
	const bin = await ensureVerdaccio(log);
	const dir = mkdtempSync(path.join(tmpdir(), 'uniall-registry-'));
	const port = await freePort();
	const url = `http://127.0.0.1:${port}`;
	writeFileSync(
		path.join(dir, 'config.yaml'),
		[
			`storage: ${path.join(dir, 'storage')}`,
			`auth: { htpasswd: { file: ${path.join(dir, 'htpasswd')}, max_users: 1 } }`,
			// No uplink: the registry serves this package and nothing else.
			'uplinks: {}',
			"packages: { '**': { access: $all, publish: $authenticated } }",
			'log: { type: stdout, format: pretty, level: warn }',
		].join('\n'),
	);
	const child = spawn(
		process.execPath,
		[bin, '--config', path.join(dir, 'config.yaml'), '--listen', `127.0.0.1:${port}`],
		{ cwd: dir, env: npmEnv(), stdio: ['ignore', 'pipe', 'pipe'] },
	);
	let printed = '';
	const listening = new Promise<void>((resolve, reject) => {
		const feed = (c: Buffer) => {
			printed += c.toString();
			// Verdaccio prints its address once the server listens.
			if (printed.includes(`http address - ${url}/`)) resolve();
		};
		child.stdout.on('data', feed);
		child.stderr.on('data', feed);
		child.once('exit', (code) =>
			reject(new Error(`Verdaccio exited (${code}) before listening:\n${printed.slice(-2000)}`)),
		);
	});
	const stop = async () => {
		if (child.exitCode === null && child.signalCode === null) {
			const exited = new Promise((resolve) => child.once('exit', resolve));
			child.kill('SIGTERM');
			await exited;
		}
		rmSync(dir, { recursive: true, force: true });
	};
	try {
		await listening;
		// `npm adduser`'s request: the answer carries the token npm publish presents.
		const res = await fetch(`${url}/-/user/org.couchdb.user:maintainer`, {
			method: 'PUT',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ name: 'maintainer', password: 'local-registry-only' }),
		});
		const { token } = (await res.json()) as { token?: string };
		if (!res.ok || !token) throw new Error(`Verdaccio refused the user: HTTP ${res.status}`);
		const publish = async (tarball: string) => {
			await run(
				'npm',
				['publish', tarball, `--registry=${url}/`, `--//127.0.0.1:${port}/:_authToken=${token}`],
				path.dirname(tarball),
				undefined,
				npmEnv(),
			);
		};
		return { url, publish, stop } satisfies LocalRegistry;
	} catch (error) {
		await stop();
		throw error;
	}
}

/**
 * A fresh n8n without this package, whose community-package installer uses `registryUrl`:
 * N8N_COMMUNITY_PACKAGES_REGISTRY, and E2E_TESTS so that the licence feature it needs can be
 * switched on (`setLicenceFeature`). An owner is set up; `stop()` removes the user folder.
 */
export async function startInstallEditor(version: string | undefined, registryUrl: string) {
	const runtime = await ensureN8n(version, () => {});
	const userFolder = mkdtempSync(path.join(tmpdir(), 'uniall-install-'));
	const n8n = new N8nInstance(runtime, { userFolder });
	Object.assign(n8n.env, {
		N8N_COMMUNITY_PACKAGES_REGISTRY: registryUrl,
		E2E_TESTS: 'true',
	});
	const port = await freePort();
	const editor = await n8n.start(port);
	const stop = async () => {
		await editor.stop();
		rmSync(userFolder, { recursive: true, force: true });
	};
	try {
		await setUpOwner(port, { fresh: true });
	} catch (error) {
		await stop();
		throw error;
	}
	const url = `http://localhost:${port}`;
	return {
		url,
		version: runtime.version,
		userFolder,
		/** Switches a licence feature through n8n's E2E controller (no login: it skips auth). */
		async setLicenceFeature(feature: string, enabled: boolean) {
			const res = await fetch(`${url}/rest/e2e/feature`, {
				method: 'PATCH',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ feature, enabled }),
			});
			if (!res.ok) throw new Error(`PATCH /rest/e2e/feature answered HTTP ${res.status}`);
		},
		stop,
	};
}
