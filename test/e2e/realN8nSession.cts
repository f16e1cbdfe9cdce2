/**
 * One real n8n per e2e test file: the packed package installed as a user would, the local
 * stand-in, and two credentials (the right key and a made-up wrong one). Every e2e file calls
 * `useRealN8n()` at its top, so setup, teardown and the "key only where it belongs" check are
 * written once.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { N8nInstance } from '../../tools/n8n/instance.cjs';
import { buildAndPack } from '../../tools/n8n/pack.cjs';
import { ensureN8n } from '../../tools/n8n/runtime.cjs';
import { startStandIn, type StandIn, type StandInOptions } from '../../tools/stand-in/server.cjs';
import type { workflow } from './workflows.cjs';

export interface RealN8nSession {
	readonly api: StandIn;
	readonly n8n: N8nInstance;
	/** A throw-away folder n8n's file nodes may read and write. */
	readonly work: string;
	readonly good: { id: string; name: string };
	readonly bad: { id: string; name: string };
	readonly wrongKey: string;
	csv(name: string, header: string, lines: string[]): string;
	outDir(name: string): string;
	runWorkflow(wf: ReturnType<typeof workflow>): ReturnType<N8nInstance['execute']>;
}

export function useRealN8n(
	standIn: StandInOptions = { mode: 'async', latencyMs: 200 },
): RealN8nSession {
	const state: { api?: StandIn; n8n?: N8nInstance; work?: string } = {};
	// Made up per run: tests prove this value never shows up in what n8n prints.
	const wrongKey = `wrong-${Date.now().toString(36)}-must-not-leak`;
	const session: RealN8nSession = {
		get api() {
			return state.api as StandIn;
		},
		get n8n() {
			return state.n8n as N8nInstance;
		},
		get work() {
			return state.work as string;
		},
		good: { id: 'uniallE2eGood001', name: 'UniAll stand-in' },
		bad: { id: 'uniallE2eBad0001', name: 'UniAll wrong key' },
		wrongKey,
		csv(name, header, lines) {
			const file = path.join(session.work, `${name}.csv`);
			writeFileSync(file, [header, ...lines].join('\n'));
			return file;
		},
		outDir(name) {
			const dir = path.join(session.work, name);
			mkdirSync(dir, { recursive: true });
			return dir;
		},
		async runWorkflow(wf) {
			await session.n8n.importWorkflow(wf);
			return await session.n8n.execute(wf.id);
		},
	};

	beforeAll(async () => {
		state.work = mkdtempSync(path.join(tmpdir(), 'uniall-e2e-'));
		const [tarball, runtime] = await Promise.all([buildAndPack(), ensureN8n()]);
		state.api = await startStandIn(standIn);
		// No fixed task-broker port: each n8n process gets a free one, so files and runs can overlap.
		state.n8n = new N8nInstance(runtime, { fileAccess: [state.work] });
		await state.n8n.installPackage(tarball);
		rmSync(path.dirname(tarball), { recursive: true, force: true });
		await state.n8n.importCredentials([
			{
				...session.good,
				type: 'uniAllApi',
				data: { apiKey: 'test-uniall-key', baseUrl: state.api.url },
			},
			{ ...session.bad, type: 'uniAllApi', data: { apiKey: wrongKey, baseUrl: state.api.url } },
		]);
	});

	afterAll(async () => {
		await state.api?.close();
		if (state.n8n) rmSync(state.n8n.userFolder, { recursive: true, force: true });
		if (state.work) rmSync(state.work, { recursive: true, force: true });
	});

	beforeEach(() => {
		session.api.reset();
		session.api.configure(standIn);
	});

	afterEach(() => {
		// Whatever the scenario: result images are fetched without the UniAll key, and every API call
		// carried one (only the bad-key scenario sends a wrong one).
		for (const entry of session.api.log) {
			if (entry.route === 'image')
				expect([entry.path, entry.headers.authorization]).toEqual([entry.path, undefined]);
			if (entry.route === 'generations' || entry.route === 'task')
				expect([entry.path, entry.headers.authorization?.startsWith('Bearer ')]).toEqual([
					entry.path,
					true,
				]);
		}
	});

	return session;
}
