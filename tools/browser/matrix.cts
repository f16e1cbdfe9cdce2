/**
 * `npm run e2e:browser`: the browser suite (jest.browser.config.js, test/browser/) once per n8n
 * in tools/n8n/versions.cts (same flags as `npm run e2e`: `--version X`, Jest arguments).
 * Finding the node runs on every version; the rest of the journey on 2.x only, to keep CI
 * within its budget (one editor start per version either way); the install step, which starts
 * a second n8n, on the newest 2.x only.
 */
import { runMatrix } from '../n8n/matrix.cjs';
import { NEWEST_N8N_VERSION } from '../n8n/versions.cjs';

export const FIND_NODE_FILE = 'test/browser/findNode.browser.test.cts';
/** The install step starts an n8n of its own (a minute or more): on the newest 2.x line only. */
export const INSTALL_FILE = 'test/browser/install.browser.test.cts';

export function browserFilesFor(version: string, jestArgs: string[]): string[] {
	if (jestArgs.length > 0) return jestArgs;
	if (version.startsWith('1.')) return [FIND_NODE_FILE];
	return version === NEWEST_N8N_VERSION ? [] : ['--testPathIgnorePatterns', INSTALL_FILE];
}

if (require.main === module) {
	runMatrix('jest.browser.config.js', browserFilesFor).then(
		(code) => process.exit(code),
		(error: Error) => {
			process.stderr.write(`browser suite failed: ${error.message}\n`);
			process.exit(1);
		},
	);
}
