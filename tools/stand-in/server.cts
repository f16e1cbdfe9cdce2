/**
 * A local stand-in of UniAll's image API (dev tooling, never published). It implements the
 * contract of shared/uniall-api.md strictly (auth, validation, every answer shape), logs every
 * request for tests to assert on, and misbehaves on demand, so the node's reliability claims can
 * be proven offline. See README.md.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

import { handleAdmin } from './admin.cjs';
import { errorBody } from './errors.cjs';
import { FaultQueue } from './faults.cjs';
import { IdempotencyStore } from './idempotency.cjs';
import { ImageStore } from './images.cjs';
import { JobStore } from './jobs.cjs';
import { FILE_PATH, handle, routeOf, type Reply, type RouteContext } from './routes.cjs';
import {
	API_STYLES,
	RESULT_SHAPES,
	type CountFilter,
	type Fault,
	type RequestLogEntry,
	type ResolvedOptions,
	type RouteName,
	type StandInMode,
	type StandInOptions,
} from './types.cjs';

export { imageSizeFor } from './sizes.cjs';
export { API_STYLES, RESULT_SHAPES } from './types.cjs';
export type {
	ApiStyle,
	CountFilter,
	Fault,
	FaultKind,
	RequestLogEntry,
	ResultShape,
	RouteName,
	StandInMode,
	StandInOptions,
} from './types.cjs';

export const DEFAULT_API_KEY = 'test-uniall-key';
const MODES: readonly StandInMode[] = ['sync-url', 'sync-b64', 'async'];
/** A reset right after the write could destroy bytes the client has not read yet: give it this long. */
const TRUNCATE_STALL_MS = 100;
/** Set at start only: a running server cannot move. */
const START_ONLY = new Set(['port', 'host']);

export class StandIn {
	readonly log: RequestLogEntry[] = [];
	url = '';
	port = 0;
	private readonly options: ResolvedOptions;
	private readonly context: RouteContext;
	private readonly faults = new FaultQueue();
	private readonly images = new ImageStore();
	private readonly jobs = new JobStore(this.images);
	private readonly keys = new IdempotencyStore();
	private readonly sockets = new Set<Socket>();
	private readonly sleepers = new Set<() => void>();
	private readonly server = http.createServer((req, res) => void this.serve(req, res));
	private closed = false;

	constructor(private readonly initial: StandInOptions = {}) {
		const mode = initial.mode ?? 'async';
		this.options = {
			apiKey: DEFAULT_API_KEY,
			mode,
			apiStyle: 'uniall',
			// Async tasks need some run time for progress to be observable; sync answers need none.
			latencyMs: mode === 'async' ? 300 : 0,
			largeImages: false,
			flatImages: false,
			downloadDelayMs: 0,
			resultShape: 'result.outputs',
			verbose: false,
			extraAnswerFields: undefined,
			honourIdempotencyKeys: false,
			wrapInData: false,
			echoImageUrls: false,
			refuseFields: [],
			ignoreOutputFormat: false,
			ignoreBackground: false,
		};
		this.configure(initial);
		this.context = {
			options: this.options,
			jobs: this.jobs,
			images: this.images,
			keys: this.keys,
			fileUrl: (id) => `${this.url}/files/${id}.${this.images.extension(id)}`,
			sleep: async (ms) => await this.sleep(ms),
		};
		this.server.on('connection', (socket) => {
			this.sockets.add(socket);
			socket.on('close', () => this.sockets.delete(socket));
		});
	}

	async listen(): Promise<this> {
		const host = this.initial.host ?? '127.0.0.1';
		await new Promise<void>((resolve, reject) => {
			this.server.once('error', reject);
			this.server.listen(this.initial.port ?? 0, host, () => {
				this.server.off('error', reject);
				resolve();
			});
		});
		this.port = (this.server.address() as AddressInfo).port;
		this.url = `http://${host.includes(':') ? `[${host}]` : host}:${this.port}`;
		return this;
	}

	setMode(mode: StandInMode): void {
		this.configure({ mode });
	}

	/** Changes options for the following requests; `undefined` values are skipped, port/host ignored. */
	configure(partial: Partial<StandInOptions>): void {
		if (partial.mode !== undefined && !MODES.includes(partial.mode))
			throw new Error(`Unknown mode ${String(partial.mode)}`);
		if (partial.apiStyle !== undefined && !API_STYLES.includes(partial.apiStyle))
			throw new Error(`Unknown apiStyle ${String(partial.apiStyle)}`);
		if (partial.resultShape !== undefined && !RESULT_SHAPES.includes(partial.resultShape)) {
			throw new Error(`Unknown resultShape ${String(partial.resultShape)}`);
		}
		for (const [key, value] of Object.entries(partial)) {
			if (value === undefined || START_ONLY.has(key)) continue;
			if (!(key in this.options)) throw new Error(`Unknown stand-in option ${key}`);
			(this.options as Record<string, unknown>)[key] = value;
		}
	}

	/** The current options, without the key. */
	config(): Omit<StandInOptions, 'apiKey'> {
		const { apiKey: _key, ...rest } = this.options;
		return { ...rest, port: this.port, host: this.initial.host ?? '127.0.0.1' };
	}

	inject(fault: Fault): void {
		this.faults.add(fault);
	}

	/** Faults queued and not yet used up. */
	get pendingFaults(): number {
		return this.faults.pending;
	}

	/** Clears the log, the faults, the jobs and the files; options stay as they are. */
	reset(): void {
		this.log.length = 0;
		this.faults.clear();
		this.jobs.clear();
		this.images.clear();
		this.keys.clear();
	}

	count(route: RouteName, filter: CountFilter = {}): number {
		return this.log.filter(
			(e) =>
				e.route === route &&
				(filter.status === undefined || e.status === filter.status) &&
				(filter.method === undefined || e.method === filter.method) &&
				(filter.accepted === undefined || (e.accepted ?? false) === filter.accepted),
		).length;
	}

	/** Bytes of an image the stand-in serves at `url`, so tests can compare with what n8n stored. */
	fileBytes(url: string): Buffer | undefined {
		const id = FILE_PATH.exec(new URL(url, 'http://stand-in').pathname)?.[1];
		return id ? this.images.renderSync(id) : undefined;
	}

	/** Stops listening and ends every connection and pending wait, so test runners exit cleanly. */
	async close(): Promise<void> {
		if (this.closed) return;
		this.closed = true;
		for (const wake of [...this.sleepers]) wake();
		const closing = new Promise<void>((resolve) => this.server.close(() => resolve()));
		for (const socket of this.sockets) socket.destroy();
		await closing;
	}

	// ---------------------------------------------------------------------------------------

	private async sleep(ms: number): Promise<void> {
		if (this.closed || ms <= 0) return;
		await new Promise<void>((resolve) => {
			const wake = () => {
				clearTimeout(timer);
				this.sleepers.delete(wake);
				resolve();
			};
			const timer = setTimeout(wake, ms);
			this.sleepers.add(wake);
		});
	}

	private async serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
		const entry: RequestLogEntry = {
			route: 'other',
			method: req.method ?? 'GET',
			path: '',
			headers: Object.fromEntries(
				Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : v]),
			),
			authorized: req.headers.authorization === `Bearer ${this.options.apiKey}`,
			status: 0,
			at: Date.now(),
			idempotencyKey: header(req, 'idempotency-key'),
		};
		try {
			const url = new URL(req.url ?? '/', 'http://stand-in');
			entry.path = url.pathname;
			entry.route = routeOf(entry.method, url.pathname);
			if (entry.route !== 'admin') this.log.push(entry);
			entry.body = parseBody(await readBody(req));

			if (entry.route === 'admin')
				return this.send(res, entry, handleAdmin(this, entry.method, entry.path, entry.body));

			const fault = this.faults.take(entry.route);
			if (fault) entry.faulted = fault.kind === 'status' ? String(fault.status ?? 500) : fault.kind;
			if (fault?.kind === 'drop') return this.drop(req, entry);
			if (fault?.kind === 'slow') await this.sleep(fault.delayMs ?? 1000);
			if (fault?.kind === 'status') return this.send(res, entry, faultReply(fault));
			if (fault?.kind === 'redirect') return this.send(res, entry, redirectReply(fault));
			if (fault?.kind === 'not-image') return this.send(res, entry, NOT_AN_IMAGE);

			if (entry.path.startsWith('/v1/') && !entry.authorized)
				return this.send(res, entry, { status: 401, json: errorBody(401) });

			const reply = await handle(
				entry.route,
				this.context,
				{ method: entry.method, path: entry.path, body: entry.body },
				entry,
			);
			// The work is done (a generation is accepted and billable); the client never hears of it.
			if (fault?.kind === 'accept-then-drop') return this.drop(req, entry);
			if (fault?.kind === 'truncate') return await this.truncate(req, res, entry, reply, fault);
			this.send(res, entry, reply);
		} catch (error) {
			// A bug in the stand-in must show up as a 500, never as a hung request.
			this.send(res, entry, {
				status: 500,
				json: errorBody(500, { code: 'stand_in_error', message: (error as Error).message }),
			});
		}
	}

	private send(res: http.ServerResponse, entry: RequestLogEntry, reply: Reply): void {
		if (entry.route !== 'admin') entry.status = reply.status;
		this.trace(entry, String(reply.status));
		if (this.closed || res.headersSent || res.destroyed) return;
		const body = reply.png ?? Buffer.from(JSON.stringify(reply.json ?? null));
		res.writeHead(reply.status, {
			'Content-Type': reply.png ? (reply.contentType ?? 'image/png') : 'application/json',
			'Content-Length': String(body.length),
			...reply.headers,
		});
		res.end(body);
	}

	/** The real answer's headers and first half, a stall of `delayMs`, then a reset: a download cut mid-body. */
	private async truncate(
		req: http.IncomingMessage,
		res: http.ServerResponse,
		entry: RequestLogEntry,
		reply: Reply,
		fault: Fault,
	): Promise<void> {
		const body = reply.png ?? Buffer.from(JSON.stringify(reply.json ?? null));
		res.writeHead(reply.status, {
			'Content-Type': reply.png ? (reply.contentType ?? 'image/png') : 'application/json',
			'Content-Length': String(body.length),
			...reply.headers,
		});
		res.write(body.subarray(0, Math.min(fault.atBytes ?? Infinity, Math.floor(body.length / 2))));
		await this.sleep(fault.delayMs ?? TRUNCATE_STALL_MS);
		this.drop(req, entry);
	}

	/** A connection reset without an answer: RST rather than FIN, like a crashed proxy. */
	private drop(req: http.IncomingMessage, entry: RequestLogEntry): void {
		entry.status = -1;
		this.trace(entry, 'dropped');
		const socket = req.socket as Socket & { resetAndDestroy?: () => void };
		if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
		else socket.destroy();
	}

	/** The CLI's request log: method, path and outcome, never a header (the key stays private). */
	private trace(entry: RequestLogEntry, outcome: string): void {
		if (!this.options.verbose || entry.route === 'admin') return;
		const fault = entry.faulted ? ` (fault: ${entry.faulted})` : '';
		process.stdout.write(
			`${new Date().toISOString()} ${entry.method} ${entry.path} -> ${outcome}${fault}\n`,
		);
	}
}

export async function startStandIn(options: StandInOptions = {}): Promise<StandIn> {
	return await new StandIn(options).listen();
}

function faultReply(fault: Fault): Reply {
	const status = fault.status ?? 500;
	return {
		status,
		json: errorBody(status, { code: fault.code, message: fault.message }),
		headers:
			fault.retryAfter !== undefined ? { 'Retry-After': String(fault.retryAfter) } : undefined,
	};
}

function redirectReply(fault: Fault): Reply {
	return {
		status: fault.status ?? 302,
		json: { redirect: fault.location },
		headers: { Location: fault.location as string },
	};
}

/** What a metadata service or an error page behind a CDN might send: JSON labelled as a PNG. */
const NOT_AN_IMAGE: Reply = {
	status: 200,
	json: {
		Code: 'Success',
		Type: 'AWS-HMAC',
		AccessKeyId: 'not-a-real-key',
		note: 'this is not an image',
	},
	headers: { 'Content-Type': 'image/png' },
};

function header(req: http.IncomingMessage, name: string): string | undefined {
	const value = req.headers[name];
	return Array.isArray(value) ? value[0] : value;
}

async function readBody(req: http.IncomingMessage): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const chunk of req) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks);
}

function parseBody(raw: Buffer): unknown {
	if (raw.length === 0) return undefined;
	const text = raw.toString('utf8');
	try {
		return JSON.parse(text);
	} catch {
		return text.slice(0, 200);
	}
}
