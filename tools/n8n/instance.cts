/**
 * A throw-away n8n user folder driven through n8n's own CLI, the way a user installs and runs a
 * community node: the packed tarball goes into ~/.n8n/nodes, credentials and workflows are
 * imported, and `n8n execute` runs a workflow headless.
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { run, type N8nRuntime } from './runtime.cjs';

export interface CredentialImport {
	id: string;
	name: string;
	type: string;
	data: Record<string, unknown>;
}

export interface NodeRun {
	executionStatus?: string;
	error?: { message: string; description?: string };
	data?: { main: Array<Array<{ json: Record<string, unknown>; binary?: Record<string, Record<string, unknown>>; pairedItem?: unknown }>> };
}

export interface ExecutionResult {
	ok: boolean;
	runData: Record<string, NodeRun[]>;
	error?: { message: string; description?: string; node?: { name: string } };
	/** Everything n8n printed, minus lines that could hold secrets (none should). */
	output: string;
	/** Peak resident memory of the n8n process (with `measureMemory`). */
	peakRssBytes: number;
	/** Output items of a node's first output, last run. */
	items: (node: string) => NonNullable<NodeRun['data']>['main'][number];
}

export interface InstanceOptions {
	userFolder?: string;
	/** Folders n8n's file nodes may read and write (n8n 2.x restricts file access). */
	fileAccess?: string[];
	/** Task broker port; set a free one when several instances run at once. */
	brokerPort?: number;
}

export class N8nInstance {
	readonly userFolder: string;
	readonly env: NodeJS.ProcessEnv;

	constructor(
		readonly runtime: N8nRuntime,
		options: InstanceOptions = {},
	) {
		this.userFolder = options.userFolder ?? mkdtempSync(path.join(tmpdir(), 'uniall-n8n-'));
		// Jest sets NODE_ENV=test, which makes n8n print nothing: give n8n a plain environment.
		const { NODE_ENV: _ignored, ...inherited } = process.env;
		this.env = {
			...inherited,
			N8N_USER_FOLDER: this.userFolder,
			N8N_ENCRYPTION_KEY: 'uniall-local-demo-encryption-key',
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_RESTRICT_FILE_ACCESS_TO: (options.fileAccess ?? []).join(';'),
			N8N_RUNNERS_BROKER_PORT: String(options.brokerPort ?? 5679),
			N8N_LOG_LEVEL: process.env.N8N_LOG_LEVEL ?? 'info',
			DB_TYPE: 'sqlite',
		};
	}

	private async n8n(args: string[], onLine?: (line: string) => void): Promise<string> {
		return await run(this.runtime.node, [this.runtime.bin, ...args], this.userFolder, onLine, this.env);
	}

	/** `npm install <tgz>` into ~/.n8n/nodes, as n8n's community-package installer does. */
	async installPackage(tarball: string): Promise<void> {
		const nodesDir = path.join(this.userFolder, '.n8n', 'nodes');
		mkdirSync(nodesDir, { recursive: true });
		writeFileSync(path.join(nodesDir, 'package.json'), JSON.stringify({ name: 'installed-nodes', private: true }));
		await run('npm', ['install', tarball, '--omit=peer', '--no-audit', '--no-fund', '--no-package-lock'], nodesDir);
	}

	async importCredentials(credentials: CredentialImport[]): Promise<void> {
		const file = path.join(this.userFolder, 'credentials.import.json');
		writeFileSync(file, JSON.stringify(credentials));
		try {
			await this.n8n(['import:credentials', `--input=${file}`]);
		} finally {
			// The file holds the key in plain text: n8n has stored it encrypted now.
			writeFileSync(file, '[]');
		}
	}

	async importWorkflow(workflow: Record<string, unknown>): Promise<void> {
		const file = path.join(this.userFolder, `workflow-${String(workflow.id)}.json`);
		writeFileSync(file, JSON.stringify(workflow, null, 2));
		await this.n8n(['import:workflow', `--input=${file}`]);
	}

	/**
	 * Runs a workflow headless. The JSON comes through n8n's logger, so stdout goes to a file. The
	 * child runs asynchronously: a stand-in served from this same process must keep answering.
	 */
	async execute(workflowId: string, options: { measureMemory?: boolean } = {}): Promise<ExecutionResult> {
		const outFile = path.join(this.userFolder, `execution-${workflowId}-${Date.now()}.out`);
		const fd = openSync(outFile, 'w');
		let stderr = '';
		let peakRssBytes = 0;
		const status = await new Promise<number | null>((resolve, reject) => {
			const child = spawn(this.runtime.node, [this.runtime.bin, 'execute', `--id=${workflowId}`, '--rawOutput'], {
				cwd: this.userFolder,
				env: this.env,
				stdio: ['ignore', fd, 'pipe'],
			});
			child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
			child.on('error', reject);
			child.on('close', resolve);
			if (options.measureMemory && child.pid) {
				// Peak resident memory of the n8n process, sampled from /proc (Linux).
				const timer = setInterval(() => {
					try {
						const kb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1]);
						if (kb) peakRssBytes = Math.max(peakRssBytes, kb * 1024);
					} catch {
						// the process has exited
					}
				}, 50);
				child.on('close', () => clearInterval(timer));
			}
		});
		closeSync(fd);
		const output = readFileSync(outFile, 'utf8');
		const start = output.indexOf('\n{');
		const json = start >= 0 ? output.slice(start + 1) : output.startsWith('{') ? output : '';
		let parsed: { data?: { resultData?: { runData?: Record<string, NodeRun[]>; error?: ExecutionResult['error'] } } } = {};
		try {
			parsed = json ? JSON.parse(json.slice(0, json.lastIndexOf('}') + 1)) : {};
		} catch {
			parsed = {};
		}
		const runData = parsed.data?.resultData?.runData ?? {};
		const error = parsed.data?.resultData?.error;
		return {
			ok: status === 0 && !error,
			peakRssBytes,
			runData,
			error,
			output: output + stderr,
			items: (node: string) => {
				const runs = runData[node] ?? [];
				return runs[runs.length - 1]?.data?.main?.[0] ?? [];
			},
		};
	}

	/** Starts the editor (`n8n start`); resolves once it answers on its port. */
	async start(port = 5678, onLine?: (line: string) => void): Promise<{ stop: () => Promise<void> }> {
		const child = spawn(this.runtime.node, [this.runtime.bin, 'start'], {
			cwd: this.userFolder,
			env: { ...this.env, N8N_PORT: String(port), N8N_SECURE_COOKIE: 'false', N8N_HOST: 'localhost' },
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		child.stdout.on('data', (c: Buffer) => onLine?.(c.toString()));
		child.stderr.on('data', (c: Buffer) => onLine?.(c.toString()));
		const deadline = Date.now() + 120_000;
		while (Date.now() < deadline) {
			if (child.exitCode !== null) throw new Error(`n8n exited with code ${child.exitCode}`);
			try {
				const res = await fetch(`http://127.0.0.1:${port}/healthz`);
				if (res.ok) break;
			} catch {
				// not up yet
			}
			await new Promise((r) => setTimeout(r, 500));
		}
		// Resolves once n8n has shut down, so callers (and Jest) are not left with a live process.
		const stop = async () => {
			if (child.exitCode !== null) return;
			const exited = new Promise((resolve) => child.once('exit', resolve));
			child.kill('SIGTERM');
			await exited;
		};
		return { stop };
	}
}
