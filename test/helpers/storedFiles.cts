import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

/**
 * Files n8n's binary store holds for one execution (filesystem mode, which the workflow harness
 * uses), so a test can prove that a refused download left nothing behind.
 */
export function storedFiles(executionId: string): string[] {
	const root = process.env.N8N_USER_FOLDER;
	if (!root) throw new Error('the workflow harness sets N8N_USER_FOLDER');
	const found: string[] = [];
	const walk = (dir: string, inExecution: boolean) => {
		if (!existsSync(dir)) return;
		for (const entry of readdirSync(dir, { withFileTypes: true })) {
			const full = path.join(dir, entry.name);
			if (entry.isDirectory())
				walk(
					full,
					inExecution || (entry.name === executionId && path.basename(dir) === 'executions'),
				);
			else if (inExecution && !entry.name.endsWith('.metadata')) found.push(full);
		}
	};
	walk(root, false);
	return found;
}
