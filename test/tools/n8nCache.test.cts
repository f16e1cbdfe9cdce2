import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { cacheInstallFolder, installedIn, markInstalled } from '../../tools/n8n/runtime.cjs';

// The cache folders that n8n, Node 24 and Verdaccio are installed into (tools/n8n/runtime.cts).
describe('a cache folder for an npm install of its own', () => {
	let cache: string;
	const saved = process.env.UNIALL_N8N_CACHE;
	beforeEach(() => {
		cache = mkdtempSync(path.join(tmpdir(), 'uniall-cache-'));
		process.env.UNIALL_N8N_CACHE = cache;
	});
	afterEach(() => {
		rmSync(cache, { recursive: true, force: true });
		if (saved === undefined) delete process.env.UNIALL_N8N_CACHE;
		else process.env.UNIALL_N8N_CACHE = saved;
	});

	it('is made under UNIALL_N8N_CACHE with a private package.json of just what it installs', () => {
		const dir = cacheInstallFolder('n8n-2.8.4', {
			dependencies: { n8n: '2.8.4' },
			overrides: { xlsx: '0.18.5' },
		});
		expect(dir).toBe(path.join(cache, 'n8n-2.8.4'));
		expect(JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'))).toEqual({
			name: 'uniall-n8n-2.8.4',
			private: true,
			dependencies: { n8n: '2.8.4' },
			overrides: { xlsx: '0.18.5' },
		});
	});

	it('counts as installed only once marked, and only while the installed file is there', () => {
		const dir = cacheInstallFolder('verdaccio-6.8.0', { dependencies: { verdaccio: '6.8.0' } });
		const bin = path.join(dir, 'verdaccio');
		writeFileSync(bin, '');
		// An install cut off before its end leaves files but no mark: it is done again.
		expect(installedIn(dir, bin)).toBe(false);
		markInstalled(dir);
		expect(installedIn(dir, bin)).toBe(true);
		rmSync(bin);
		expect(existsSync(bin)).toBe(false);
		expect(installedIn(dir, bin)).toBe(false);
	});
});
