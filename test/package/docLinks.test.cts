/**
 * Every relative link and heading anchor in README.md, CHANGELOG.md, docs/, test/README.md and
 * tools/README.md resolves (`npm run links`: remark-validate-links, offline, no network). The
 * second test runs the same script on a copy with one broken file link and one broken anchor,
 * so the check is seen to fail when a link breaks.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const REPO = path.resolve(__dirname, '..', '..');
const linksScript: string = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8'))
	.scripts.links;

function runLinks(cwd: string) {
	const run = spawnSync('npm', ['run', '--silent', 'links'], { cwd, encoding: 'utf8' });
	return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

it('every relative link and anchor in the Markdown files resolves', () => {
	const { status, output } = runLinks(REPO);
	expect(output).not.toMatch(/warning/);
	expect(status).toBe(0);
});

it('a broken file link and a broken anchor fail the check', () => {
	const dir = mkdtempSync(path.join(tmpdir(), 'uniall-links-'));
	try {
		writeFileSync(
			path.join(dir, 'package.json'),
			JSON.stringify({ scripts: { links: linksScript } }),
		);
		symlinkSync(path.join(REPO, 'node_modules'), path.join(dir, 'node_modules'));
		mkdirSync(path.join(dir, 'docs'));
		for (const file of ['CHANGELOG.md', 'test/README.md', 'tools/README.md']) {
			mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
			writeFileSync(path.join(dir, file), '# ok\n');
		}
		writeFileSync(path.join(dir, 'docs', 'page.md'), '# Page\n\n## Real heading\n');
		writeFileSync(
			path.join(dir, 'README.md'),
			'# Readme\n\n[fine](docs/page.md#real-heading) [gone](docs/missing.md) [bad anchor](docs/page.md#no-such-heading)\n',
		);
		const { status, output } = runLinks(dir);
		expect(status).not.toBe(0);
		expect(output).toMatch(/docs\/missing\.md/);
		expect(output).toMatch(/no-such-heading/);
		expect(output).not.toMatch(/real-heading/);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});
