/**
 * A local stand-in of UniAll's image API (dev tooling, never published). It implements the
 * contract of shared/uniall-api.md strictly (validation, auth, every answer shape) and can
 * misbehave on demand, so the node's reliability claims can be proven offline.
 */
import { createHash, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

import {
	ASPECT_RATIOS,
	MAX_IMAGES,
	MAX_REFERENCE_IMAGES,
	MIN_IMAGES,
	RESOLUTIONS,
	type AspectRatio,
	type Resolution,
} from '../../nodes/UniAllGptImage2/helpers/contract';
import { noisePng, patternPng } from './png.cjs';
import { imageSizeFor } from './sizes.cjs';

export { imageSizeFor };

export type StandInMode = 'sync-url' | 'sync-b64' | 'async';
export type ResultShape = 'result.outputs' | 'result.images' | 'data' | 'images' | 'output' | 'image_url';
export type RouteName = 'generations' | 'task' | 'models' | 'image' | 'admin' | 'other';

export interface StandInOptions {
	port?: number;
	host?: string;
	apiKey?: string;
	mode?: StandInMode;
	/** Generation time: sync answers wait this long; async tasks complete after it. */
	latencyMs?: number;
	largeImages?: boolean;
	downloadDelayMs?: number;
	resultShape?: ResultShape;
	/** Extra fields merged into every successful generation/task answer (e.g. a usage cost). */
	extraAnswerFields?: Record<string, unknown>;
	/** Print one line per request (CLI). */
	verbose?: boolean;
}

export interface Fault {
	route: RouteName | '*';
	kind: 'status' | 'drop' | 'slow' | 'accept-then-drop';
	times?: number;
	status?: number;
	retryAfter?: number;
	code?: string;
	message?: string;
	delayMs?: number;
}

export interface RequestLogEntry {
	route: RouteName;
	method: string;
	path: string;
	headers: Record<string, string | undefined>;
	authorized: boolean;
	body?: unknown;
	status: number;
	at: number;
	idempotencyKey?: string;
	faulted?: string;
	/** generations only: a job was created (and would be billed when delivered). */
	accepted?: boolean;
	taskId?: string;
}

interface Job {
	id: string;
	createdAt: number;
	latencyMs: number;
	fileIds: string[];
	fail: boolean;
	request: Record<string, unknown>;
}

interface FileSpec {
	width: number;
	height: number;
	seed: number;
	label: string;
	large: boolean;
}

const DEFAULTS = { apiKey: 'test-uniall-key', mode: 'async' as StandInMode, resultShape: 'result.outputs' as ResultShape };

const ERROR_DEFAULTS: Record<number, { type: string; code: string; message: string }> = {
	400: { type: 'invalid_request_error', code: 'content_policy_violation', message: 'Your request was rejected by the safety system.' },
	401: { type: 'authentication_error', code: 'invalid_api_key', message: 'Invalid API key provided.' },
	402: { type: 'insufficient_quota', code: 'insufficient_user_quota', message: 'Your balance is insufficient for this request.' },
	403: { type: 'insufficient_quota', code: 'insufficient_user_quota', message: 'User quota is not enough.' },
	404: { type: 'invalid_request_error', code: 'not_found', message: 'Not found.' },
	429: { type: 'rate_limit_error', code: 'rate_limit_exceeded', message: 'Rate limit reached, please retry later.' },
	500: { type: 'server_error', code: 'server_error', message: 'The server had an error while processing your request.' },
	502: { type: 'server_error', code: 'bad_gateway', message: 'Bad gateway.' },
	503: { type: 'server_error', code: 'service_unavailable', message: 'The service is temporarily unavailable.' },
	504: { type: 'server_error', code: 'gateway_timeout', message: 'Gateway timeout.' },
};

const ALLOWED_FIELDS = new Set(['model', 'generation_mode', 'prompt', 'image_url', 'aspect_ratio', 'resolution', 'num_images']);

export class StandIn {
	readonly log: RequestLogEntry[] = [];
	url = '';
	port = 0;
	private options: Required<Omit<StandInOptions, 'port' | 'host' | 'extraAnswerFields'>> & Pick<StandInOptions, 'extraAnswerFields'>;
	private faults: Array<Fault & { left: number }> = [];
	private readonly jobs = new Map<string, Job>();
	private readonly files = new Map<string, FileSpec>();
	private readonly cache = new Map<string, Buffer>();
	private readonly sockets = new Set<Socket>();
	private readonly server = http.createServer((req, res) => void this.handle(req, res));
	private jobCounter = 0;

	constructor(private readonly initial: StandInOptions = {}) {
		this.options = {
			apiKey: initial.apiKey ?? DEFAULTS.apiKey,
			mode: initial.mode ?? DEFAULTS.mode,
			latencyMs: initial.latencyMs ?? (initial.mode === 'async' || !initial.mode ? 300 : 0),
			largeImages: initial.largeImages ?? false,
			downloadDelayMs: initial.downloadDelayMs ?? 0,
			resultShape: initial.resultShape ?? DEFAULTS.resultShape,
			verbose: initial.verbose ?? false,
			extraAnswerFields: initial.extraAnswerFields,
		};
		this.server.on('connection', (socket) => {
			this.sockets.add(socket);
			socket.on('close', () => this.sockets.delete(socket));
		});
	}

	async listen(): Promise<this> {
		await new Promise<void>((resolve) => this.server.listen(this.initial.port ?? 0, this.initial.host ?? '127.0.0.1', resolve));
		const { port } = this.server.address() as AddressInfo;
		this.port = port;
		this.url = `http://${this.initial.host ?? '127.0.0.1'}:${port}`;
		return this;
	}

	setMode(mode: StandInMode): void {
		this.options.mode = mode;
	}

	configure(partial: Partial<StandInOptions>): void {
		for (const [key, value] of Object.entries(partial)) {
			if (value !== undefined) (this.options as Record<string, unknown>)[key] = value;
		}
	}

	inject(fault: Fault): void {
		this.faults.push({ ...fault, left: fault.times ?? 1 });
	}

	reset(): void {
		this.log.length = 0;
		this.faults = [];
		this.jobs.clear();
		this.files.clear();
	}

	count(route: RouteName, filter: { status?: number; method?: string; accepted?: boolean } = {}): number {
		return this.log.filter(
			(e) =>
				e.route === route &&
				(filter.status === undefined || e.status === filter.status) &&
				(filter.method === undefined || e.method === filter.method) &&
				(filter.accepted === undefined || e.accepted === filter.accepted),
		).length;
	}

	/** Bytes of an image the stand-in served, so tests can compare with what n8n stored. */
	fileBytes(url: string): Buffer | undefined {
		const id = /\/files\/([\w-]+)\.png$/.exec(url)?.[1];
		return id ? this.render(id) : undefined;
	}

	async close(): Promise<void> {
		for (const socket of this.sockets) socket.destroy();
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}

	// ---------------------------------------------------------------------------------------

	private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
		try {
			await this.route(req, res);
		} catch (error) {
			// A bug in the stand-in must show up as a 500, never as a hung request.
			if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'application/json' });
			res.end(JSON.stringify(errorBody(500, 'stand_in_error', (error as Error).message)));
		}
	}

	private async route(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
		const url = new URL(req.url ?? '/', 'http://stand-in');
		const route = routeOf(req.method ?? 'GET', url.pathname);
		const raw = await readBody(req);
		let body: unknown;
		if (raw.length) {
			try {
				body = JSON.parse(raw.toString('utf8'));
			} catch {
				body = raw.toString('utf8').slice(0, 200);
			}
		}
		const auth = req.headers.authorization;
		const entry: RequestLogEntry = {
			route,
			method: req.method ?? 'GET',
			path: url.pathname,
			headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : v])),
			authorized: auth === `Bearer ${this.options.apiKey}`,
			body,
			status: 0,
			at: Date.now(),
			idempotencyKey: req.headers['idempotency-key'] as string | undefined,
		};
		if (route !== 'admin') this.log.push(entry);
		const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
			entry.status = status;
			if (this.options.verbose) process.stdout.write(`${entry.method} ${entry.path} -> ${status}\n`);
			if (Buffer.isBuffer(payload)) {
				res.writeHead(status, { 'Content-Type': 'image/png', 'Content-Length': String(payload.length), ...headers });
				res.end(payload);
			} else {
				res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
				res.end(JSON.stringify(payload));
			}
		};

		if (route === 'admin') return this.admin(url.pathname, body, send);

		const fault = this.takeFault(route);
		if (fault) {
			entry.faulted = fault.kind === 'status' ? String(fault.status) : fault.kind;
			if (fault.kind === 'drop') {
				entry.status = -1;
				req.socket.destroy();
				return;
			}
			if (fault.kind === 'slow') await delay(fault.delayMs ?? 1000);
			if (fault.kind === 'status') {
				const status = fault.status ?? 500;
				const headers: Record<string, string> = fault.retryAfter !== undefined ? { 'Retry-After': String(fault.retryAfter) } : {};
				return send(status, errorBody(status, fault.code, fault.message), headers);
			}
		}

		if (url.pathname.startsWith('/v1/') && !entry.authorized) {
			return send(401, errorBody(401));
		}

		switch (route) {
			case 'models':
				return send(200, {
					object: 'list',
					data: [
						{ id: 'gpt-image-2', object: 'model', owned_by: 'uniall' },
						{ id: 'gpt-image-2-origin', object: 'model', owned_by: 'uniall' },
					],
				});
			case 'generations': {
				const problem = validate(body);
				if (problem) return send(400, errorBody(400, 'invalid_value', problem.message, problem.param, 'invalid_request_error'));
				const request = body as Record<string, unknown>;
				const prompt = String(request.prompt);
				if (prompt.includes('[fail:policy]')) return send(400, errorBody(400));
				const job = this.createJob(request);
				entry.accepted = true;
				entry.taskId = job.id;
				if (fault?.kind === 'accept-then-drop') {
					entry.status = -1;
					req.socket.destroy();
					return;
				}
				if (this.options.mode === 'async') {
					return send(200, { id: job.id, task_id: job.id, object: 'image.task', status: 'queued', progress: 0, created: seconds(job.createdAt) });
				}
				await delay(job.latencyMs);
				const data = job.fileIds.map((id) =>
					this.options.mode === 'sync-b64' ? { b64_json: this.render(id).toString('base64') } : { url: this.fileUrl(id) },
				);
				return send(200, { created: seconds(job.createdAt), data, ...this.options.extraAnswerFields });
			}
			case 'task': {
				const id = decodeURIComponent(url.pathname.split('/').pop() ?? '');
				const job = this.jobs.get(id);
				if (!job) return send(404, errorBody(404, 'task_not_found', `Task ${id} not found.`));
				return send(200, this.taskView(job));
			}
			case 'image': {
				const id = /\/files\/([\w-]+)\.png$/.exec(url.pathname)?.[1];
				if (!id || !this.files.has(id)) return send(404, errorBody(404));
				if (this.options.downloadDelayMs) await delay(this.options.downloadDelayMs);
				return send(200, this.render(id));
			}
			default:
				return send(404, errorBody(404, 'not_found', `No route ${entry.method} ${url.pathname}.`));
		}
	}

	private admin(path: string, body: unknown, send: (status: number, payload: unknown) => void): void {
		const input = (body ?? {}) as Record<string, unknown>;
		if (path === '/__admin/fault') this.inject(input as unknown as Fault);
		else if (path === '/__admin/reset') this.reset();
		else if (path === '/__admin/config') this.configure(input as Partial<StandInOptions>);
		else if (path === '/__admin/log') return send(200, this.log);
		else return send(404, errorBody(404));
		send(200, { ok: true });
	}

	private takeFault(route: RouteName): (Fault & { left: number }) | undefined {
		const fault = this.faults.find((f) => f.left > 0 && (f.route === '*' || f.route === route));
		if (fault) fault.left--;
		this.faults = this.faults.filter((f) => f.left > 0);
		return fault;
	}

	private createJob(request: Record<string, unknown>): Job {
		const prompt = String(request.prompt);
		const requested = Number(request.num_images);
		const deliver = /\[deliver:(\d+)\]/.exec(prompt);
		const count = deliver ? Math.min(requested, Number(deliver[1])) : requested;
		const slow = /\[slow:(\d+)\]/.exec(prompt);
		const { width, height } = imageSizeFor(request.aspect_ratio as AspectRatio, request.resolution as Resolution);
		const seed = parseInt(createHash('sha1').update(prompt).digest('hex').slice(0, 6), 16);
		const row = /\brow\s*#?\s*(\d+)/i.exec(prompt)?.[1];
		const number = ++this.jobCounter;
		const fileIds = Array.from({ length: count }, (_, i) => {
			const id = `img-${number}-${i + 1}-${randomUUID().slice(0, 8)}`;
			this.files.set(id, { width, height, seed, label: row ?? String(number), large: this.options.largeImages });
			return id;
		});
		const job: Job = {
			id: `task_${randomUUID().replace(/-/g, '').slice(0, 20)}`,
			createdAt: Date.now(),
			latencyMs: this.options.latencyMs + (slow ? Number(slow[1]) : 0),
			fileIds,
			fail: prompt.includes('[fail:task]'),
			request,
		};
		this.jobs.set(job.id, job);
		return job;
	}

	private taskView(job: Job): Record<string, unknown> {
		const elapsed = Date.now() - job.createdAt;
		const base = { id: job.id, task_id: job.id, object: 'image.task', created: seconds(job.createdAt) };
		if (elapsed < job.latencyMs) {
			const progress = Math.min(99, Math.floor((100 * elapsed) / Math.max(1, job.latencyMs)));
			return { ...base, status: progress < 10 ? 'queued' : 'in_progress', progress };
		}
		if (job.fail) {
			return { ...base, status: 'failed', progress: 100, error: { code: 'generation_failed', message: 'The image could not be generated.' } };
		}
		const urls = job.fileIds.map((id) => this.fileUrl(id));
		const shaped: Record<ResultShape, Record<string, unknown>> = {
			'result.outputs': { result: { outputs: urls } },
			'result.images': { result: { images: urls.map((url) => ({ url })) } },
			data: { data: urls.map((url) => ({ url })) },
			images: { images: urls },
			output: { output: urls },
			image_url: { image_url: urls.length === 1 ? urls[0] : urls },
		};
		return { ...base, status: 'completed', progress: 100, ...shaped[this.options.resultShape], ...this.options.extraAnswerFields };
	}

	private fileUrl(id: string): string {
		return `${this.url}/files/${id}.png`;
	}

	private render(id: string): Buffer {
		const spec = this.files.get(id);
		if (!spec) return Buffer.alloc(0);
		const key = spec.large ? `noise:${spec.width}x${spec.height}` : `${spec.width}x${spec.height}:${spec.seed}:${spec.label}`;
		let png = this.cache.get(key);
		if (!png) {
			png = spec.large ? noisePng(spec.width, spec.height) : patternPng(spec.width, spec.height, spec.seed, spec.label);
			if (this.cache.size > 64) this.cache.delete(this.cache.keys().next().value as string);
			this.cache.set(key, png);
		}
		return png;
	}
}

export async function startStandIn(options: StandInOptions = {}): Promise<StandIn> {
	return await new StandIn(options).listen();
}

function routeOf(method: string, path: string): RouteName {
	if (path.startsWith('/__admin/')) return 'admin';
	if (method === 'POST' && path === '/v1/images/generations') return 'generations';
	if (method === 'GET' && /^\/v1\/images\/tasks\/[^/]+$/.test(path)) return 'task';
	if (method === 'GET' && path === '/v1/models') return 'models';
	if (method === 'GET' && path.startsWith('/files/')) return 'image';
	return 'other';
}

/** Strict checks of the request contract, each naming the field like a real gateway would. */
function validate(body: unknown): { param: string; message: string } | undefined {
	if (typeof body !== 'object' || body === null || Array.isArray(body)) return { param: 'body', message: 'Body must be a JSON object.' };
	const b = body as Record<string, unknown>;
	for (const key of Object.keys(b)) if (!ALLOWED_FIELDS.has(key)) return { param: key, message: `Unknown parameter: '${key}'.` };
	if (typeof b.model !== 'string' || !b.model) return { param: 'model', message: 'model is required.' };
	if (b.generation_mode !== 'text_to_image' && b.generation_mode !== 'image_to_image') {
		return { param: 'generation_mode', message: 'generation_mode must be text_to_image or image_to_image.' };
	}
	if (typeof b.prompt !== 'string' || !b.prompt.trim()) return { param: 'prompt', message: 'prompt must be a non-empty string.' };
	if (!(ASPECT_RATIOS as readonly unknown[]).includes(b.aspect_ratio)) return { param: 'aspect_ratio', message: `aspect_ratio must be one of ${ASPECT_RATIOS.join(', ')}.` };
	if (!(RESOLUTIONS as readonly unknown[]).includes(b.resolution)) return { param: 'resolution', message: `resolution must be one of ${RESOLUTIONS.join(', ')}.` };
	if (!Number.isInteger(b.num_images) || (b.num_images as number) < MIN_IMAGES || (b.num_images as number) > MAX_IMAGES) {
		return { param: 'num_images', message: `num_images must be an integer from ${MIN_IMAGES} to ${MAX_IMAGES}.` };
	}
	if (b.generation_mode === 'text_to_image') {
		if (b.image_url !== undefined) return { param: 'image_url', message: 'image_url is not allowed for text_to_image.' };
		return undefined;
	}
	if (!Array.isArray(b.image_url) || b.image_url.length < 1 || b.image_url.length > MAX_REFERENCE_IMAGES) {
		return { param: 'image_url', message: `image_url must be a list of 1 to ${MAX_REFERENCE_IMAGES} images.` };
	}
	for (const [i, ref] of b.image_url.entries()) {
		if (typeof ref !== 'string') return { param: `image_url[${i}]`, message: 'Each image_url entry must be a string.' };
		const data = /^data:(image\/(?:png|jpeg|webp));base64,(.+)$/s.exec(ref);
		if (data) {
			const bytes = Buffer.from(data[2], 'base64');
			const ok =
				bytes.length >= 12 &&
				((data[1] === 'image/png' && bytes.readUInt32BE(0) === 0x89504e47) ||
				(data[1] === 'image/jpeg' && bytes[0] === 0xff && bytes[1] === 0xd8) ||
					(data[1] === 'image/webp' && bytes.toString('ascii', 8, 12) === 'WEBP'));
			if (!ok) return { param: `image_url[${i}]`, message: 'The data URL does not hold a PNG, JPEG or WebP image of its declared type.' };
			continue;
		}
		if (!/^https?:\/\/[^\s/]+/.test(ref)) return { param: `image_url[${i}]`, message: 'Each image_url entry must be an http(s) URL or an image data URL.' };
	}
	return undefined;
}

function errorBody(status: number, code?: string, message?: string, param?: string, type?: string) {
	const d = ERROR_DEFAULTS[status] ?? { type: 'api_error', code: 'error', message: `HTTP ${status}` };
	return { error: { message: message ?? d.message, type: type ?? d.type, param: param ?? null, code: code ?? d.code } };
}

async function readBody(req: http.IncomingMessage): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const chunk of req) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks);
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const seconds = (ms: number) => Math.floor(ms / 1000);
