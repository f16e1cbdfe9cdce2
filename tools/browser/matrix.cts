/**
 * `npm run e2e:browser`: the browser suite (jest.browser.config.js, test/browser/) once per n8n
 * in tools/n8n/versions.cts (same flags as `npm run e2e`: `--version X`, Jest arguments).
 * Finding the node runs on every version; the rest of the journey on 2.x only, to keep CI
 * within its budget (one editor start per version either way).
 */
import { runMatrix } from '../n8n/matrix.cjs';

export const FIND_NODE_FILE = 'test/browser/findNode.browser.test.cts';

export function browserFilesFor(version: string, jestArgs: string[]): string[] {
	if (jestArgs.length > 0) return jestArgs;
	return version.startsWith('1.') ? [FIND_NODE_FILE] : [];
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
