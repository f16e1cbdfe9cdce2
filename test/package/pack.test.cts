/**
 * What `npm publish` would ship: dist/ with the node, credential, icons and codex, nothing else
 * (no tests, no sources, no tooling, no source maps with local paths, no secrets).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const REPO = path.resolve(__dirname, '..', '..');

interface PackEntry {
	path: string;
	size: number;
}

let files: PackEntry[] = [];

beforeAll(() => {
	execFileSync('npm', ['run', 'build'], { cwd: REPO, stdio: 'pipe' });
	const out = execFileSync('npm', ['pack', '--dry-run', '--json'], { cwd: REPO, encoding: 'utf8' });
	files = (JSON.parse(out) as Array<{ files: PackEntry[] }>)[0].files;
}, 120_000);

describe('the published package', () => {
	it('ships the node, the credential, both icon variants and the codex', () => {
		const names = files.map((f) => f.path);
		for (const required of [
			'package.json',
			'README.md',
			'LICENSE',
			'dist/nodes/UniAllGptImage2/UniAllGptImage2.node.js',
			'dist/nodes/UniAllGptImage2/UniAllGptImage2.node.json',
			'dist/nodes/UniAllGptImage2/uniall.svg',
			'dist/nodes/UniAllGptImage2/uniall.dark.svg',
			'dist/credentials/UniAllApi.credentials.js',
			'dist/credentials/uniall.svg',
			'dist/credentials/uniall.dark.svg',
		]) {
			expect(names).toContain(required);
		}
	});

	it('ships nothing but dist/ and the package metadata', () => {
		const outside = files
			.map((f) => f.path)
			.filter(
				(p) =>
					!p.startsWith('dist/') &&
					!['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md'].includes(p),
			);
		expect(outside).toEqual([]);
		expect(
			files.filter(
				(f) =>
					/(^|\/)(test|tools|examples)\//.test(f.path) ||
					/\.test\.|\.cts$|\.ts$/.test(f.path.replace(/\.d\.ts$/, '')),
			),
		).toEqual([]);
	});

	it('has no source maps pointing at local paths and no secrets', () => {
		expect(files.filter((f) => f.path.endsWith('.map'))).toEqual([]);
		for (const file of files) {
			const text = readFileSync(path.join(REPO, file.path), 'utf8');
			expect([file.path, /sk-[A-Za-z0-9]{20,}/.test(text)]).toEqual([file.path, false]);
			expect([file.path, text.includes(REPO)]).toEqual([file.path, false]);
			expect([file.path, text.includes('test-uniall-key')]).toEqual([file.path, false]);
		}
	});

	it('follows the rules for verified community nodes', () => {
		const pkg = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8'));
		expect(pkg.name).toBe('n8n-nodes-uniall');
		expect(pkg.keywords).toContain('n8n-community-node-package');
		expect(pkg.license).toBe('MIT');
		expect(pkg.files).toEqual(['dist']);
		expect(pkg.dependencies ?? {}).toEqual({});
		expect(pkg.peerDependencies).toEqual({ 'n8n-workflow': '*' });
		expect(pkg.overrides).toBeUndefined();
		for (const script of ['prepare', 'preinstall', 'install', 'postinstall'])
			expect(pkg.scripts[script]).toBeUndefined();
		expect(pkg.n8n).toEqual({
			n8nNodesApiVersion: 1,
			strict: true,
			credentials: ['dist/credentials/UniAllApi.credentials.js'],
			nodes: ['dist/nodes/UniAllGptImage2/UniAllGptImage2.node.js'],
		});
		// n8n loads a node only when the class name equals the file name.
		expect(
			Object.keys(require(path.join(REPO, 'dist/nodes/UniAllGptImage2/UniAllGptImage2.node.js'))),
		).toEqual(['UniAllGptImage2']);
	});
});
