/**
 * n8n in queue mode on this machine, the way a team runs it past one process: Redis holds the
 * queue, PostgreSQL is the shared database (and, in database binary mode, the shared binary
 * store), one `n8n start` main takes webhooks and N `n8n worker` processes execute. The package
 * is installed into the one shared user folder as a user would; credentials and workflows are
 * imported and published before the main starts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { freePort, N8nInstance, type CredentialImport } from '../n8n/instance.cjs';
import { run, type N8nRuntime } from '../n8n/runtime.cjs';
import { ownerCookie, setUpOwner } from '../n8n/owner.cjs';
import { startServices, type Services } from './services.cjs';

export interface WorkerProcess {
	name: string;
	child: ChildProcess;
	/** Execution ids this worker logged as started. */
	started: string[];
	/** Peak resident memory, sampled from /proc while it runs. */
	peakRssBytes: number;
	/** Resident memory once it was ready, before any work. */
	baselineRssBytes: number;
	currentRssBytes(): number;
}

export interface QueueCluster {
	baseUrl: string;
	services: Services;
	workers: WorkerProcess[];
	/** Session cookie of the owner, for n8n's REST API. */
	cookie: string;
	rest<T = unknown>(route: string, init?: RequestInit): Promise<T>;
	stop(): Promise<void>;
}

export interface ClusterOptions {
	runtime: N8nRuntime;
	tarball: string;
	credentials: CredentialImport[];
	workflows: Array<Record<string, unknown>>;
	workers?: number;
	/** Executions each worker runs at once (`n8n worker --concurrency`). */
	workerConcurrency?: number;
	log?: (line: string) => void;
	/** More settings for every n8n process (e.g. shorter queue lock times in a test). */
	env?: NodeJS.ProcessEnv;
}

const major = (runtime: N8nRuntime) => Number(runtime.version.split('.')[0]);

/** Plain text logs at info level: the worker's "started execution" lines are how we see who ran what. */
function queueEnv(services: Services, userFolder: string, runtime: N8nRuntime): NodeJS.ProcessEnv {
	return {
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: services.redis.host,
		QUEUE_BULL_REDIS_PORT: String(services.redis.port),
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: services.postgres.host,
		DB_POSTGRESDB_PORT: String(services.postgres.port),
		DB_POSTGRESDB_DATABASE: services.postgres.database,
		DB_POSTGRESDB_USER: services.postgres.user,
		DB_POSTGRESDB_PASSWORD: '',
		// n8n's docs: filesystem mode is not supported in queue mode. 2.x: the database store (its
		// queue-mode default). 1.x has no database store: its default keeps binaries in the execution data.
		N8N_DEFAULT_BINARY_DATA_MODE: major(runtime) >= 2 ? 'database' : 'default',
		N8N_USER_FOLDER: userFolder,
		N8N_LOG_LEVEL: 'info',
		N8N_LOG_OUTPUT: 'console',
		N8N_LOG_FORMAT: 'text',
		N8N_RUNNERS_ENABLED: 'true',
		N8N_SECURE_COOKIE: 'false',
		N8N_HOST: 'localhost',
		N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '5',
	};
}

function rssBytes(pid: number | undefined, field: 'VmRSS' | 'VmHWM'): number {
	if (!pid) return 0;
	try {
		return (
			Number(
				new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ??
					0,
			) * 1024
		);
	} catch {
		return 0;
	}
}

async function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return;
	const exited = new Promise((resolve) => child.once('exit', resolve));
	child.kill(signal);
	const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
	await exited;
	clearTimeout(timer);
}

export async function startQueueCluster(options: ClusterOptions): Promise<QueueCluster> {
	const log = options.log ?? (() => {});
	const services = await startServices(log);
	const userFolder = mkdtempSync(path.join(tmpdir(), 'uniall-queue-n8n-'));
	const children: ChildProcess[] = [];
	const workers: WorkerProcess[] = [];
	const stop = async () => {
		await Promise.all(children.map((c) => stopChild(c)));
		await services.stop();
		rmSync(userFolder, { recursive: true, force: true });
	};
	try {
		const setup = new N8nInstance(options.runtime, { userFolder });
		// Same CLI, queue-mode settings: imports land in PostgreSQL, where every process reads them.
		Object.assign(setup.env, queueEnv(services, userFolder, options.runtime), options.env);
		await setup.installPackage(options.tarball);
		await setup.importCredentials(options.credentials);
		await setup.importWorkflows(options.workflows);
		for (const wf of options.workflows) {
			if (!wf.active) continue;
			// 2.x publishes a workflow version; 1.x sets the workflow active.
			const activate =
				major(options.runtime) >= 2
					? ['publish:workflow', `--id=${String(wf.id)}`]
					: ['update:workflow', `--id=${String(wf.id)}`, '--active=true'];
			await run(
				options.runtime.node,
				[options.runtime.bin, ...activate],
				userFolder,
				undefined,
				setup.env,
			);
		}

		const spawnN8n = async (
			args: string[],
			name: string,
			onLine: (line: string) => void,
			extra: NodeJS.ProcessEnv = {},
		) => {
			const env = { ...setup.env, N8N_RUNNERS_BROKER_PORT: String(await freePort()), ...extra };
			const child = spawn(options.runtime.node, [options.runtime.bin, ...args], {
				cwd: userFolder,
				env,
				stdio: ['ignore', 'pipe', 'pipe'],
			});
			children.push(child);
			let buffered = '';
			const feed = (c: Buffer) => {
				buffered += c.toString();
				const lines = buffered.split('\n');
				buffered = lines.pop() ?? '';
				for (const line of lines) onLine(line);
			};
			child.stdout?.on('data', feed);
			child.stderr?.on('data', feed);
			child.on('exit', (code, signal) => log(`${name} exited (${signal ?? code})`));
			return child;
		};

		const port = await freePort();
		const mainLines: string[] = [];
		const main = await spawnN8n(['start'], 'main', (l) => mainLines.push(l), {
			N8N_PORT: String(port),
		});
		const baseUrl = `http://127.0.0.1:${port}`;
		const deadline = Date.now() + 180_000;
		for (;;) {
			if (main.exitCode !== null)
				throw new Error(`n8n main exited (${main.exitCode}):\n${mainLines.slice(-30).join('\n')}`);
			if (Date.now() > deadline)
				throw new Error(`n8n main did not start:\n${mainLines.slice(-30).join('\n')}`);
			const ok = await fetch(`${baseUrl}/healthz/readiness`)
				.then((r) => r.ok)
				.catch(() => false);
			if (ok) break;
			await new Promise((r) => setTimeout(r, 500));
		}
		await setUpOwner(port, { fresh: true });
		const cookie = await ownerCookie(port);

		for (let i = 0; i < (options.workers ?? 2); i++) {
			const worker: WorkerProcess = {
				name: `worker-${i + 1}`,
				child: undefined as unknown as ChildProcess,
				started: [],
				peakRssBytes: 0,
				baselineRssBytes: 0,
				currentRssBytes: () => rssBytes(worker.child?.pid, 'VmRSS'),
			};
			const lines: string[] = [];
			const ready = new Promise<void>((resolve, reject) => {
				const onLine = (line: string) => {
					lines.push(line);
					const started = /Worker started execution (\S+)/.exec(line);
					if (started) worker.started.push(started[1]);
					if (/n8n worker is now ready|Worker ready|now ready/i.test(line)) resolve();
				};
				void spawnN8n(
					['worker', `--concurrency=${options.workerConcurrency ?? 10}`],
					worker.name,
					onLine,
					{
						QUEUE_HEALTH_CHECK_ACTIVE: 'false',
						N8N_PORT: String(port),
					},
				).then((child) => {
					worker.child = child;
					child.once('exit', (code) =>
						reject(new Error(`${worker.name} exited (${code}):\n${lines.slice(-30).join('\n')}`)),
					);
				});
			});
			let readyTimer: NodeJS.Timeout | undefined;
			const tooLate = new Promise(
				(_, reject) =>
					(readyTimer = setTimeout(
						() =>
							reject(
								new Error(`${worker.name} not ready in 180 s:\n${lines.slice(-30).join('\n')}`),
							),
						180_000,
					)),
			);
			await Promise.race([ready, tooLate]).finally(() => clearTimeout(readyTimer));
			worker.baselineRssBytes = rssBytes(worker.child.pid, 'VmRSS');
			const timer = setInterval(
				() =>
					(worker.peakRssBytes = Math.max(
						worker.peakRssBytes,
						rssBytes(worker.child.pid, 'VmRSS'),
					)),
				50,
			);
			worker.child.once('exit', () => clearInterval(timer));
			workers.push(worker);
		}
		log(`n8n main on ${baseUrl}, ${workers.length} workers ready`);

		const rest = async <T,>(route: string, init: RequestInit = {}): Promise<T> => {
			const res = await fetch(`${baseUrl}/rest${route}`, {
				...init,
				headers: { 'Content-Type': 'application/json', cookie, ...(init.headers ?? {}) },
			});
			const text = await res.text();
			if (!res.ok) throw new Error(`REST ${route}: HTTP ${res.status} ${text.slice(0, 300)}`);
			return (JSON.parse(text) as { data: T }).data;
		};
		return { baseUrl, services, workers, cookie, rest, stop };
	} catch (error) {
		await stop();
		throw error;
	}
}
