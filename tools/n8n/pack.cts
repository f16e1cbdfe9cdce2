import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { run } from './runtime.cjs';

export const REPO = path.resolve(__dirname, '..', '..');

/** Builds the package and packs it exactly as `npm publish` would; returns the tarball path. */
export async function buildAndPack(log: (line: string) => void = () => {}): Promise<string> {
	log('Building the package (npm run build)...');
	await run('npm', ['run', 'build'], REPO);
	const dir = mkdtempSync(path.join(tmpdir(), 'uniall-pack-'));
	await run('npm', ['pack', '--pack-destination', dir], REPO);
	const tgz = readdirSync(dir).find((f) => f.endsWith('.tgz'));
	if (!tgz) throw new Error('npm pack produced no tarball');
	log(`Packed ${tgz}`);
	return path.join(dir, tgz);
}
