/**
 * Redis and PostgreSQL for n8n's queue mode, from Debian's packages, each on a free local port
 * with a throw-away data folder. Installed with apt-get when missing (CI machines reach Debian's
 * packages and run as root). Everything started here is stopped by `stop()`.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { freePort } from '../n8n/instance.cjs';

export interface Services {
	redis: { host: string; port: number };
	postgres: { host: string; port: number; user: string; database: string };
	stop(): Promise<void>;
}

const PG_ROOT = '/usr/lib/postgresql';

function pgBin(name: string): string | undefined {
	if (!existsSync(PG_ROOT)) return undefined;
	const versions = readdirSync(PG_ROOT).sort((a, b) => Number(b) - Number(a));
	for (const v of versions) {
		const bin = path.join(PG_ROOT, v, 'bin', name);
		if (existsSync(bin)) return bin;
	}
	return undefined;
}

const have = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

/** apt-get install what is missing (root only; elsewhere it says what to install). */
export function ensurePackages(log: (line: string) => void): void {
	const missing = [
		!have('redis-server') && 'redis-server',
		!pgBin('initdb') && 'postgresql',
	].filter(Boolean) as string[];
	if (!missing.length) return;
	if (process.getuid?.() !== 0)
		throw new Error(
			`queue mode needs ${missing.join(' and ')}: sudo apt-get install -y ${missing.join(' ')}`,
		);
	log(`Installing ${missing.join(' and ')} from Debian's packages...`);
	const update = spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
	if (update.status !== 0) throw new Error('apt-get update failed');
	const install = spawnSync('apt-get', ['install', '-y', '-qq', ...missing], {
		stdio: 'inherit',
		env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
	});
	if (install.status !== 0) throw new Error(`apt-get install ${missing.join(' ')} failed`);
}

/** PostgreSQL refuses to run as root: run its programs as the `postgres` user there. */
function asPostgres(bin: string, args: string[]): [string, string[]] {
	return process.getuid?.() === 0
		? ['runuser', ['-u', 'postgres', '--', bin, ...args]]
		: [bin, args];
}

function runSync(command: [string, string[]], what: string): void {
	const result = spawnSync(command[0], command[1], { encoding: 'utf8' });
	if (result.status !== 0)
		throw new Error(`${what} failed (exit ${result.status}):\n${result.stderr || result.stdout}`);
}

async function waitFor(
	check: () => boolean | Promise<boolean>,
	what: string,
	ms = 30_000,
): Promise<void> {
	const deadline = Date.now() + ms;
	while (Date.now() < deadline) {
		if (await check()) return;
		await new Promise((r) => setTimeout(r, 200));
	}
	throw new Error(`${what} did not start within ${ms / 1000} s`);
}

export async function startServices(log: (line: string) => void = () => {}): Promise<Services> {
	ensurePackages(log);
	const dir = mkdtempSync(path.join(tmpdir(), 'uniall-queue-services-'));
	const children: ChildProcess[] = [];
	let pgData: string | undefined;
	const stop = async () => {
		if (pgData)
			spawnSync(
				...asPostgres(pgBin('pg_ctl') as string, ['-D', pgData, '-m', 'immediate', 'stop']),
			);
		for (const child of children) {
			if (child.exitCode === null) {
				const exited = new Promise((r) => child.once('exit', r));
				child.kill('SIGKILL');
				await exited;
			}
		}
		rmSync(dir, { recursive: true, force: true });
	};
	try {
		const redisPort = await freePort();
		const redis = spawn(
			'redis-server',
			[
				'--port',
				String(redisPort),
				'--bind',
				'127.0.0.1',
				'--save',
				'',
				'--appendonly',
				'no',
				'--dir',
				dir,
			],
			{ stdio: 'ignore' },
		);
		children.push(redis);
		await waitFor(
			() =>
				spawnSync('redis-cli', ['-p', String(redisPort), 'ping'], {
					encoding: 'utf8',
				}).stdout?.trim() === 'PONG',
			'Redis',
		);

		const pgPort = await freePort();
		pgData = path.join(dir, 'pg');
		const { mkdirSync } = await import('node:fs');
		mkdirSync(pgData);
		if (process.getuid?.() === 0) {
			const pw = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
			const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
			chownSync(dir, Number(pw.stdout), Number(gid.stdout));
			chownSync(pgData, Number(pw.stdout), Number(gid.stdout));
		}
		runSync(
			asPostgres(pgBin('initdb') as string, [
				'-D',
				pgData,
				'-U',
				'n8n',
				'-A',
				'trust',
				'--no-sync',
			]),
			'initdb',
		);
		runSync(
			asPostgres(pgBin('pg_ctl') as string, [
				'-D',
				pgData,
				'-l',
				path.join(pgData, 'server.log'),
				'-o',
				`-p ${pgPort} -k ${pgData} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`,
				'-w',
				'start',
			]),
			'pg_ctl start',
		);
		runSync(
			[
				pgBin('psql') as string,
				[
					'-h',
					'127.0.0.1',
					'-p',
					String(pgPort),
					'-U',
					'n8n',
					'-d',
					'postgres',
					'-c',
					'CREATE DATABASE n8n',
				],
			],
			'CREATE DATABASE',
		);
		log(`Redis on 127.0.0.1:${redisPort}, PostgreSQL on 127.0.0.1:${pgPort}`);
		return {
			redis: { host: '127.0.0.1', port: redisPort },
			postgres: { host: '127.0.0.1', port: pgPort, user: 'n8n', database: 'n8n' },
			stop,
		};
	} catch (error) {
		await stop();
		throw error;
	}
}

/** Runs one SQL query and returns its rows as tab-separated text. */
export function sql(pg: Services['postgres'], query: string): string[][] {
	const result = spawnSync(
		pgBin('psql') as string,
		[
			'-h',
			pg.host,
			'-p',
			String(pg.port),
			'-U',
			pg.user,
			'-d',
			pg.database,
			'-At',
			'-F',
			'\t',
			'-c',
			query,
		],
		{
			encoding: 'utf8',
			maxBuffer: 1024 * 1024 * 1024,
		},
	);
	if (result.status !== 0) throw new Error(`psql failed: ${result.stderr}`);
	return result.stdout
		.split('\n')
		.filter((l) => l !== '')
		.map((l) => l.split('\t'));
}
