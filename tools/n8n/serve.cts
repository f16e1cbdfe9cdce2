/**
 * A regular-mode n8n (`n8n start`) serving webhook workflows: the package installed, the
 * credentials and workflows imported and published, on a free port. One process runs every
 * execution, so what the node keeps in its modules (the request formats Auto learned) carries from
 * one execution to the next, as in a user's n8n.
 */
import { rmSync } from 'node:fs';

import { freePort, N8nInstance, type CredentialImport } from './instance.cjs';
import { run, type N8nRuntime } from './runtime.cjs';

export interface ServingN8n {
	baseUrl: string;
	stop: () => Promise<void>;
}

export async function serveWorkflows(
	runtime: N8nRuntime,
	tarball: string,
	credentials: CredentialImport[],
	workflows: Array<Record<string, unknown>>,
): Promise<ServingN8n> {
	const n8n = new N8nInstance(runtime);
	await n8n.installPackage(tarball);
	await n8n.importCredentials(credentials);
	await n8n.importWorkflows(workflows);
	for (const wf of workflows)
		await run(
			runtime.node,
			[runtime.bin, 'publish:workflow', `--id=${String(wf.id)}`],
			n8n.userFolder,
			undefined,
			n8n.env,
		);
	const port = await freePort();
	const editor = await n8n.start(port);
	return {
		baseUrl: `http://127.0.0.1:${port}`,
		stop: async () => {
			await editor.stop();
			rmSync(n8n.userFolder, { recursive: true, force: true });
		},
	};
}
