/**
 * The oldest n8n the node is claimed to load on. n8n 1.81.4 runs n8n-workflow 1.79.1, which has no
 * `NodeConnectionTypes` (it arrived in 1.83); a node that reads `NodeConnectionTypes.Main` at load
 * time throws there and n8n skips it. This loads the compiled node and credential in a separate
 * Node process whose only n8n-workflow is 1.79.1, as such an n8n would. (The whole core e2e file
 * also ran on n8n 1.81.4 itself: `npm run e2e -- --version 1.81.4`.)
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const REPO = path.resolve(__dirname, '..', '..');
const OLDEST_N8N_WORKFLOW = '1.79.1';
let dir: string;

beforeAll(() => {
	dir = mkdtempSync(path.join(tmpdir(), 'uniall-oldest-n8n-'));
	writeFileSync(
		path.join(dir, 'package.json'),
		JSON.stringify({ name: 'oldest-n8n-workflow', private: true }),
	);
	execFileSync(
		'npm',
		[
			'install',
			`n8n-workflow@${OLDEST_N8N_WORKFLOW}`,
			'--no-audit',
			'--no-fund',
			'--ignore-scripts',
			'--no-package-lock',
		],
		{ cwd: dir, stdio: 'pipe' },
	);
	// Compiled into the scratch folder, so `require('n8n-workflow')` from the node finds 1.79.1.
	mkdirSync(path.join(dir, 'pkg'));
	execFileSync(
		process.execPath,
		[
			require.resolve('typescript/bin/tsc'),
			'-p',
			path.join(REPO, 'tsconfig.build.json'),
			'--outDir',
			path.join(dir, 'pkg', 'dist'),
		],
		{ cwd: REPO, stdio: 'pipe' },
	);
}, 180_000);

afterAll(() => {
	if (dir) rmSync(dir, { recursive: true, force: true });
});

function load(): Record<string, unknown> {
	const script = `
		const workflow = require('n8n-workflow/package.json');
		const { UniAllGptImage2 } = require('./pkg/dist/nodes/UniAllGptImage2/UniAllGptImage2.node.js');
		const { UniAllApi } = require('./pkg/dist/credentials/UniAllApi.credentials.js');
		const node = new UniAllGptImage2().description;
		const credential = new UniAllApi();
		console.log(JSON.stringify({
			workflowVersion: workflow.version,
			hasNodeConnectionTypes: require('n8n-workflow').NodeConnectionTypes !== undefined,
			name: node.name, inputs: node.inputs, outputs: node.outputs,
			operations: node.properties.find((p) => p.name === 'operation').options.map((o) => o.value),
			credential: credential.name,
		}));`;
	return JSON.parse(
		execFileSync(process.execPath, ['-e', script], { cwd: dir, encoding: 'utf8' }),
	) as Record<string, unknown>;
}

describe('the node on the oldest n8n claimed (1.81.4, n8n-workflow 1.79.1)', () => {
	it('loads with main input and output and all its operations, though that n8n-workflow has no NodeConnectionTypes', () => {
		expect(load()).toEqual({
			workflowVersion: OLDEST_N8N_WORKFLOW,
			hasNodeConnectionTypes: false,
			name: 'uniAllGptImage2',
			inputs: ['main'],
			outputs: ['main'],
			operations: ['textToImage', 'imageToImage', 'estimateCost', 'getTask'],
			credential: 'uniAllApi',
		});
	});
});
