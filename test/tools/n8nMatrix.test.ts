import { browserFilesFor, FIND_NODE_FILE, INSTALL_FILE } from '../../tools/browser/matrix.cjs';
import { jestArgsFor, parseMatrixArgs } from '../../tools/n8n/matrix.cjs';
import {
	longFilesFirst,
	N8N_VERSIONS,
	NEWEST_N8N_VERSION,
	NEWEST_ONLY_E2E_FILES,
	nodeMajorFor,
} from '../../tools/n8n/versions.cjs';

describe('the e2e matrix', () => {
	it('runs every listed version by default, in list order', () => {
		// 1.81.4 runs on demand only (its install compiles sqlite3); CI proves it with a loading test.
		expect(parseMatrixArgs([], {}).versions).toEqual(['1.123.81', '2.8.4', '2.41.1']);
		expect(parseMatrixArgs(['--version', '1.81.4'], {}).versions).toEqual(['1.81.4']);
		expect(N8N_VERSIONS.map((v) => [v.version, v.node])).toEqual([
			['1.81.4', 20],
			['1.123.81', 24],
			['2.8.4', 20],
			['2.41.1', 24],
		]);
	});

	it('--version picks versions; UNIALL_N8N_VERSION picks one when no flag is given; the rest goes to Jest', () => {
		expect(parseMatrixArgs(['--version', '2.8.4', 'test/e2e/aiAgent.e2e.test.cts'], {})).toEqual({
			versions: ['2.8.4'],
			jestArgs: ['test/e2e/aiAgent.e2e.test.cts'],
			installOnly: false,
		});
		expect(parseMatrixArgs(['--version=1.123.81,2.41.1', '-t', 'agent'], {})).toEqual({
			versions: ['1.123.81', '2.41.1'],
			jestArgs: ['-t', 'agent'],
			installOnly: false,
		});
		expect(parseMatrixArgs([], { UNIALL_N8N_VERSION: '2.35.0' }).versions).toEqual(['2.35.0']);
		expect(
			parseMatrixArgs(['--version', '2.8.4'], { UNIALL_N8N_VERSION: '2.35.0' }).versions,
		).toEqual(['2.8.4']);
	});

	it('--install-only installs and runs nothing: it is not passed to Jest', () => {
		expect(parseMatrixArgs(['--install-only'], {})).toEqual({
			versions: ['1.123.81', '2.8.4', '2.41.1'],
			jestArgs: [],
			installOnly: true,
		});
	});

	it('runs the whole suite on a version unless it lists files; Jest arguments given by hand win', () => {
		expect(jestArgsFor('2.41.1', [])).toEqual([]);
		expect(jestArgsFor('1.81.4', [])).toEqual(['test/e2e/realN8n.e2e.test.cts']);
		expect(jestArgsFor('1.81.4', ['-t', 'x'])).toEqual(['-t', 'x']);
	});

	it('runs the long generation file on the newest n8n only, unless asked for by hand', () => {
		expect(NEWEST_N8N_VERSION).toBe('2.41.1');
		expect(NEWEST_ONLY_E2E_FILES).toEqual(['test/e2e/longGeneration.e2e.test.cts']);
		const skipLong = ['--testPathIgnorePatterns', 'test/e2e/longGeneration.e2e.test.cts'];
		expect(jestArgsFor('2.8.4', [])).toEqual(skipLong);
		expect(jestArgsFor('1.123.81', [])).toEqual(skipLong);
		expect(jestArgsFor('2.8.4', ['test/e2e/longGeneration.e2e.test.cts'])).toEqual([
			'test/e2e/longGeneration.e2e.test.cts',
		]);
	});

	it('starts the long files first and keeps the order of the rest', () => {
		const paths = [
			'/r/test/e2e/b.e2e.test.cts',
			'/r/test/e2e/longGeneration.e2e.test.cts',
			'/r/test/e2e/a.e2e.test.cts',
		];
		const tests = paths.map((path) => ({ path }));
		expect(longFilesFirst(tests, (t) => t.path).map((t) => t.path)).toEqual([
			'/r/test/e2e/longGeneration.e2e.test.cts',
			'/r/test/e2e/b.e2e.test.cts',
			'/r/test/e2e/a.e2e.test.cts',
		]);
	});

	it('knows which Node runs a listed version, and none for an unlisted one', () => {
		expect([nodeMajorFor('2.8.4'), nodeMajorFor('2.41.1'), nodeMajorFor('9.9.9')]).toEqual([
			20,
			24,
			undefined,
		]);
	});
});

describe('the browser matrix', () => {
	it('finds the node on 1.x, runs every file on the newest 2.x, all but the install step on older 2.x', () => {
		expect(browserFilesFor('1.123.81', [])).toEqual([FIND_NODE_FILE]);
		expect(browserFilesFor('2.41.1', [])).toEqual([]);
		expect(browserFilesFor('2.8.4', [])).toEqual(['--testPathIgnorePatterns', INSTALL_FILE]);
		expect(browserFilesFor('2.8.4', [INSTALL_FILE])).toEqual([INSTALL_FILE]);
	});
});
