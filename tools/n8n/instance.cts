/**
 * A throw-away n8n user folder driven through n8n's own CLI, the way a user installs and runs a
 * community node: the packed tarball goes into ~/.n8n/nodes, credentials and workflows are
 * imported, and `n8n execute` runs a workflow headless.
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { npmEnv, run, type N8nRuntime } from './runtime.cjs';

export interface CredentialImport {
	id: string;
	name: string;
	type: string;
	data: Record<string, unknown>;
}

export interface NodeRun {
	executionStatus?: string;
	error?: { message: string; description?: string };
	data?: {
		main: Array<
			Array<{
				json: Record<string, unknown>;
				binary?: Record<string, Record<string, unknown>>;
				pairedItem?: unknown;
			}>
		>;
	};
}

export interface ExecutionResult {
	ok: boolean;
	/** n8n's execution status ('success', 'error', ...), when n8n printed the execution. */
	status?: string;
	/** Exit code of `n8n execute` (1 when the workflow failed). */
	exitCode: number | null;
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
	/** Task broker port (n8n's default is 5679); by default a free port is picked for every n8n process. */
	brokerPort?: number;
}

export class N8nInstance {
	readonly userFolder: string;
	readonly env: NodeJS.ProcessEnv;
	private readonly brokerPort?: number;

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
			// `n8n execute --rawOutput` prints the execution through the logger: it must stay on the
			// console, as plain text, at info level or more.
			N8N_LOG_LEVEL: ['debug', 'verbose'].includes(process.env.N8N_LOG_LEVEL ?? '')
				? process.env.N8N_LOG_LEVEL
				: 'info',
			N8N_LOG_OUTPUT: 'console',
			N8N_LOG_FORMAT: 'text',
			DB_TYPE: 'sqlite',
		};
		this.brokerPort = options.brokerPort;
	}

	/** Environment of one n8n process: its own task broker port, so that two n8n never collide on 5679. */
	private async processEnv(extra: NodeJS.ProcessEnv = {}): Promise<NodeJS.ProcessEnv> {
		return {
			...this.env,
			N8N_RUNNERS_BROKER_PORT: String(this.brokerPort ?? (await freePort())),
			...extra,
		};
	}

	private async n8n(args: string[], onLine?: (line: string) => void): Promise<string> {
		return await run(
			this.runtime.node,
			[this.runtime.bin, ...args],
			this.userFolder,
			onLine,
			await this.processEnv(),
		);
	}

	/** `npm install <tgz>` into ~/.n8n/nodes, as n8n's community-package installer does. */
	async installPackage(tarball: string): Promise<void> {
		const nodesDir = path.join(this.userFolder, '.n8n', 'nodes');
		mkdirSync(nodesDir, { recursive: true });
		writeFileSync(
			path.join(nodesDir, 'package.json'),
			JSON.stringify({ name: 'installed-nodes', private: true }),
		);
		await run(
			'npm',
			['install', tarball, '--omit=peer', '--no-audit', '--no-fund', '--no-package-lock'],
			nodesDir,
			undefined,
			npmEnv(),
		);
	}

	async importCredentials(credentials: CredentialImport[]): Promise<void> {
		const file = path.join(this.userFolder, 'credentials.import.json');
		writeFileSync(file, JSON.stringify(credentials));
		try {
			await this.n8n(['import:credentials', `--input=${file}`]);
		} catch (error) {
			// n8n's words travel on in the error: make sure no secret value rides along.
			let message = (error as Error).message;
			for (const credential of credentials) {
				for (const [field, value] of Object.entries(credential.data)) {
					if (/key|token|secret|password/i.test(field) && typeof value === 'string' && value)
						message = message.split(value).join('***');
				}
			}
			throw new Error(message);
		} finally {
			// The file holds the key in plain text: n8n has stored it encrypted now.
			writeFileSync(file, '[]');
		}
	}

	async importWorkflow(workflow: Record<string, unknown>): Promise<void> {
		await this.importWorkflows([workflow]);
	}

	/** Imports several workflows with one n8n boot (the file holds a JSON array; each workflow carries its own id). */
	async importWorkflows(workflows: Array<Record<string, unknown>>): Promise<void> {
		if (workflows.length === 0) return;
		const file = path.join(
			this.userFolder,
			`workflows-${workflows
				.map((w) => String(w.id))
				.join('-')
				.slice(0, 120)}.json`,
		);
		writeFileSync(file, JSON.stringify(workflows, null, 2));
		await this.n8n(['import:workflow', `--input=${file}`]);
	}

	/**
	 * Runs a workflow headless. The JSON comes through n8n's logger, so stdout goes to a file. The
	 * child runs asynchronously: a stand-in served from this same process must keep answering.
	 */
	async execute(
		workflowId: string,
		options: { measureMemory?: boolean } = {},
	): Promise<ExecutionResult> {
		const outFile = path.join(this.userFolder, `execution-${workflowId}-${Date.now()}.out`);
		const env = await this.processEnv();
		const fd = openSync(outFile, 'w');
		let stderr = '';
		let peakRssBytes = 0;
		const exitCode = await new Promise<number | null>((resolve, reject) => {
			const child = spawn(
				this.runtime.node,
				[this.runtime.bin, 'execute', `--id=${workflowId}`, '--rawOutput'],
				{
					cwd: this.userFolder,
					env,
					stdio: ['ignore', fd, 'pipe'],
				},
			);
			child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
			child.on('error', reject);
			child.on('close', resolve);
			if (options.measureMemory && child.pid) {
				// Peak resident memory of the n8n process, sampled from /proc (Linux).
				const timer = setInterval(() => {
					try {
						const kb = Number(
							/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1],
						);
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
		const parsed = parseExecuteOutput(output);
		const runData = parsed?.data?.resultData?.runData ?? {};
		let error = parsed?.data?.resultData?.error;
		if (!error && (exitCode !== 0 || !parsed)) {
			// n8n failed before or outside the workflow (unknown id, crash): keep its own words.
			const words =
				/The workflow with the id "[^"]*" does not exist\./.exec(output)?.[0] ??
				/Execution error:\n=+\n([^\n]+)/.exec(output)?.[1];
			error = { message: words ?? `n8n execute printed no execution (exit code ${exitCode})` };
		}
		return {
			ok: exitCode === 0 && !error,
			status: parsed?.status,
			exitCode,
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

	/**
	 * Starts the editor (`n8n start`); resolves once THIS n8n serves the port. A /healthz answer
	 * alone proves nothing: another n8n may be listening there (ours then exits with "port in
	 * use", and every later call would talk to the wrong n8n). So the port must be free before the
	 * start, and the child must say it is serving (n8n prints "Editor is now accessible via" once
	 * its server listens) while still running.
	 */
	async start(
		port = 5678,
		onLine?: (line: string) => void,
	): Promise<{ stop: () => Promise<void> }> {
		await assertPortFree(port);
		const child = spawn(this.runtime.node, [this.runtime.bin, 'start'], {
			cwd: this.userFolder,
			env: await this.processEnv({
				N8N_PORT: String(port),
				N8N_SECURE_COOKIE: 'false',
				N8N_HOST: 'localhost',
			}),
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let printed = '';
		const feed = (c: Buffer) => {
			printed = (printed + c.toString()).slice(-20_000);
			onLine?.(c.toString());
		};
		child.stdout.on('data', feed);
		child.stderr.on('data', feed);
		const deadline = Date.now() + 180_000;
		for (;;) {
			if (child.exitCode !== null || child.signalCode !== null) {
				throw new Error(
					`n8n ${this.runtime.version} exited (code ${child.exitCode ?? child.signalCode}) before serving port ${port}:\n${printed.slice(-2000)}`,
				);
			}
			if (printed.includes('Editor is now accessible via')) {
				const res = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined);
				if (res?.ok) break;
			}
			if (Date.now() > deadline) {
				child.kill('SIGTERM');
				throw new Error(
					`n8n ${this.runtime.version} did not serve port ${port} within 180 s:\n${printed.slice(-2000)}`,
				);
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

interface PrintedExecution {
	status?: string;
	data?: { resultData?: { runData?: Record<string, NodeRun[]>; error?: ExecutionResult['error'] } };
}

/**
 * What `n8n execute --rawOutput` printed, as an object. On n8n 2.8.4 the execution (IRun) is
 * pretty-printed JSON starting at a line of its own: after the task-runner lines on success, and
 * after "Execution error:\n====" on failure, where the error message and stack follow it (and
 * may contain braces). So the object is cut out by matching braces, strings respected.
 */
export function parseExecuteOutput(output: string): PrintedExecution | undefined {
	for (
		let at = output.startsWith('{') ? 0 : output.indexOf('\n{');
		at !== -1;
		at = output.indexOf('\n{', at + 1)
	) {
		const start = output[at] === '{' ? at : at + 1;
		const end = matchingBrace(output, start);
		if (end < 0) continue;
		try {
			const value = JSON.parse(output.slice(start, end + 1)) as PrintedExecution;
			if (value && typeof value === 'object' && 'data' in value) return value;
		} catch {
			// not the execution: keep looking
		}
	}
	return undefined;
}

function matchingBrace(text: string, start: number): number {
	let depth = 0;
	let inString = false;
	for (let i = start; i < text.length; i++) {
		const c = text[i];
		if (inString) {
			if (c === '\\') i++;
			else if (c === '"') inString = false;
		} else if (c === '"') inString = true;
		else if (c === '{' || c === '[') depth++;
		else if (c === '}' || c === ']') {
			depth--;
			if (depth === 0) return i;
		}
	}
	return -1;
}

/** `start()` refusing a port that another process listens on. */
export class PortTakenError extends Error {
	constructor(port: number) {
		super(`port ${port} is in use by another process: n8n cannot start there`);
	}
}

/** Fails when something listens on `port` already (on any interface, as n8n binds it). */
export function assertPortFree(port: number): Promise<void> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.unref();
		server.once('error', (error: NodeJS.ErrnoException) =>
			reject(
				error.code === 'EADDRINUSE'
					? new PortTakenError(port)
					: new Error(`port ${port}: ${error.message}`),
			),
		);
		server.listen(port, () => server.close(() => resolve()));
	});
}

/** A TCP port nobody listens on right now. */
export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as { port: number };
			server.close(() => resolve(port));
		});
	});
}
