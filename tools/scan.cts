/**
 * `npm run scan`: n8n's own verification gate for community packages (@n8n/scan-community-package),
 * run locally. n8n's scanner checks npm provenance, then lints two things with `analyzePackage`:
 * the attested source with SOURCE_FILE_PATTERNS, and the published tarball's `**\/*.js` and
 * package.json. Provenance needs a published release; both lint legs run here, on this checkout
 * and on what `npm pack` makes of it. Any finding exits 1.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { buildAndPack, REPO } from './n8n/pack.cjs';
import { run } from './n8n/runtime.cjs';

interface AnalysisResult {
	passed: boolean;
	message?: string;
	details?: string;
}

interface Scanner {
	analyzePackage(dir: string, patterns?: string[]): Promise<AnalysisResult>;
	SOURCE_FILE_PATTERNS: string[];
}

// The scanner is an ES module; a real dynamic import (not the require() TypeScript would compile
// `import()` into for a .cts file) loads it.
const importEsm = new Function('specifier', 'return import(specifier)') as (
	specifier: string,
) => Promise<Scanner>;

const log = (line: string) => process.stdout.write(`${line}\n`);

export async function scan(): Promise<boolean> {
	const scanner = await importEsm(
		require.resolve('@n8n/scan-community-package/scanner/scanner.mjs'),
	);
	let passed = true;
	const report = (leg: string, result: AnalysisResult) => {
		// The scanner passes a folder it found nothing in: here that can only be a wrong path.
		if (result.message === 'No files found to analyze')
			result = { passed: false, message: `${result.message}: wrong folder?` };
		log(
			`${result.passed ? 'passed' : 'FAILED'}: ${leg}${result.message ? ` (${result.message})` : ''}`,
		);
		if (result.details) log(result.details);
		passed &&= result.passed;
	};

	report(
		`source, ${scanner.SOURCE_FILE_PATTERNS.join(' ')}`,
		await scanner.analyzePackage(REPO, scanner.SOURCE_FILE_PATTERNS),
	);

	const tarball = await buildAndPack(log);
	const unpacked = mkdtempSync(path.join(tmpdir(), 'uniall-scan-'));
	try {
		await run('tar', ['-xzf', tarball, '-C', unpacked], REPO);
		report(
			`npm pack output, **/*.js package.json`,
			await scanner.analyzePackage(path.join(unpacked, 'package'), ['**/*.js', 'package.json']),
		);
	} finally {
		rmSync(unpacked, { recursive: true, force: true });
		rmSync(path.dirname(tarball), { recursive: true, force: true });
	}
	return passed;
}

if (require.main === module) {
	scan().then(
		(passed) => process.exit(passed ? 0 : 1),
		(error: Error) => {
			process.stderr.write(`scan failed: ${error.message}\n`);
			process.exit(1);
		},
	);
}
