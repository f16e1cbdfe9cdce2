/**
 * The API routes: what UniAll answers once auth and faults are out of the way. Handlers return a
 * Reply instead of writing it, so the server can log it, or drop it (accept-then-drop) after the
 * work was done.
 */
import { ROUTES } from '../../nodes/UniAllGptImage2/helpers/contract';
import { chatCompletion } from './chat.cjs';
import { errorBody } from './errors.cjs';
import type { IdempotencyStore } from './idempotency.cjs';
import type { ImageStore } from './images.cjs';
import { submittedView, taskView, type Job, type JobStore } from './jobs.cjs';
import { readPromptMagic } from './magic.cjs';
import { openAiJobRequest } from './openai.cjs';
import type { RequestLogEntry, ResolvedOptions, RouteName } from './types.cjs';
import { uniAllJobRequest, type ValidationProblem } from './validate.cjs';

export interface Reply {
	status: number;
	json?: unknown;
	/** Image bytes (PNG, JPEG or WebP), sent with `contentType` (default image/png). */
	png?: Buffer;
	contentType?: string;
	headers?: Record<string, string>;
}

export interface RouteContext {
	options: ResolvedOptions;
	jobs: JobStore;
	images: ImageStore;
	keys: IdempotencyStore;
	fileUrl(id: string): string;
	/** A wait that ends early when the stand-in closes, so no timer outlives it. */
	sleep(ms: number): Promise<void>;
}

export interface ParsedRequest {
	method: string;
	path: string;
	body: unknown;
}

const TASK_PREFIX = ROUTES.task('');
export const FILE_PATH = /^\/files\/([\w-]+)\.(?:png|jpg|webp)$/;

export function routeOf(method: string, path: string): RouteName {
	if (path.startsWith('/__admin/')) return 'admin';
	// Both creating POSTs are `generations` (faults, counts of accepted jobs); `path` tells them apart.
	if (method === 'POST' && (path === ROUTES.generations || path === ROUTES.edits))
		return 'generations';
	if (
		method === 'GET' &&
		path.startsWith(TASK_PREFIX) &&
		path.length > TASK_PREFIX.length &&
		!path.slice(TASK_PREFIX.length).includes('/')
	)
		return 'task';
	if (method === 'GET' && path === ROUTES.models) return 'models';
	if (method === 'GET' && FILE_PATH.test(path)) return 'image';
	// A scripted OpenAI-compatible chat model for the AI Agent e2e test (chat.cts).
	if (method === 'POST' && path === '/v1/chat/completions') return 'chat';
	return 'other';
}

export async function handle(
	route: RouteName,
	ctx: RouteContext,
	req: ParsedRequest,
	entry: RequestLogEntry,
): Promise<Reply> {
	switch (route) {
		case 'models':
			return { status: 200, json: MODELS };
		case 'generations':
			if (req.path === ROUTES.edits && ctx.options.apiStyle !== 'openai') return notFound(req);
			return await generations(ctx, req, entry);
		case 'task':
			return task(ctx, decodeURIComponent(req.path.slice(TASK_PREFIX.length)));
		case 'image':
			return await image(ctx, FILE_PATH.exec(req.path)?.[1] ?? '');
		case 'chat':
			return chatCompletion(req.body);
		default:
			return notFound(req);
	}
}

const notFound = (req: ParsedRequest): Reply => ({
	status: 404,
	json: errorBody(404, { message: `No route ${req.method} ${req.path}.` }),
});

const MODELS = {
	object: 'list',
	data: [
		{
			id: 'gpt-image-2',
			object: 'model',
			created: 1760000000,
			owned_by: 'uniall',
			supported_endpoint_types: ['image-generation'],
		},
		{
			id: 'gpt-image-2-origin',
			object: 'model',
			created: 1760000000,
			owned_by: 'uniall',
			supported_endpoint_types: ['image-generation'],
		},
	],
};

async function generations(
	ctx: RouteContext,
	req: ParsedRequest,
	entry: RequestLogEntry,
): Promise<Reply> {
	const key = ctx.options.honourIdempotencyKeys ? entry.idempotencyKey : undefined;
	if (key) {
		const seen = ctx.keys.check(key, req.body);
		if (seen.kind === 'conflict') return seen.reply;
		if (seen.kind === 'replay') {
			entry.replayed = true;
			entry.taskId = seen.taskId;
			return await seen.reply;
		}
	}
	const refused = refusedField(ctx.options.refuseFields, req.body);
	const request =
		refused ??
		(ctx.options.apiStyle === 'openai'
			? openAiJobRequest(req.path, req.body)
			: uniAllJobRequest(req.body));
	if ('param' in request) {
		return {
			status: 400,
			json: errorBody(400, {
				code: request.code ?? 'invalid_value',
				message: request.message,
				param: request.param,
			}),
		};
	}
	const magic = readPromptMagic(request.prompt);
	if (magic.failPolicy) return { status: 400, json: errorBody(400) };

	// A gateway that drops the output fields: the job renders its default, PNG.
	if (ctx.options.ignoreOutputFormat)
		Object.assign(request, { format: 'png', compression: undefined });
	// One that drops `background`: the job renders its default, an opaque picture.
	if (ctx.options.ignoreBackground) Object.assign(request, { transparent: false });
	const job = ctx.jobs.create(request, magic, ctx.options);
	entry.accepted = true;
	entry.taskId = job.id;
	const reply = answer(ctx, job);
	if (key) ctx.keys.remember(key, req.body, reply, job.id);
	return await reply;
}

/** What an accepted generation answers: the task at once (async), or the images after the latency. */
async function answer(ctx: RouteContext, job: Job): Promise<Reply> {
	const extra = ctx.options.extraAnswerFields ?? {};
	if (ctx.options.mode === 'async')
		return { status: 200, json: shaped(ctx, job, submittedView(job)) };

	// UniAll's files are ready when it answers: render them during the latency, not when the first
	// download asks (the 16 downloads of one wave would otherwise wait for 16 renders in a row on
	// this CPU, a cost of the stand-in's that `npm run bench` counted against the node).
	const latency = ctx.sleep(job.latencyMs);
	if (!job.fail) ctx.images.prepare(job.fileIds);
	await latency;
	if (job.fail) {
		// A synchronous gateway can only report a failed generation as an error answer.
		return {
			status: 500,
			json: errorBody(500, {
				code: 'generation_failed',
				message: 'The image could not be generated.',
			}),
		};
	}
	const created = Math.floor(job.createdAt / 1000);
	if (ctx.options.mode === 'sync-b64' || job.request.b64) {
		const images = await Promise.all(
			job.fileIds.map(async (id) => (await ctx.images.render(id)) as Buffer),
		);
		return {
			status: 200,
			json: {
				created,
				data: images.map((png) => ({ b64_json: png.toString('base64') })),
				...extra,
			},
		};
	}
	return {
		status: 200,
		json: { created, data: job.fileIds.map((id) => ({ url: ctx.fileUrl(id) })), ...extra },
	};
}

function task(ctx: RouteContext, id: string): Reply {
	const job = ctx.jobs.get(id);
	if (!job) return { status: 404, json: errorBody(404, { message: `Task ${id} not found.` }) };
	const view = taskView(
		job,
		job.fileIds.map((fileId) => ctx.fileUrl(fileId)),
		ctx.options.resultShape,
	);
	return {
		status: 200,
		json: shaped(
			ctx,
			job,
			view.status === 'completed' ? { ...view, ...ctx.options.extraAnswerFields } : view,
		),
	};
}

/**
 * Answer shapes some gateways use for tasks: the request's reference `image_url`s echoed in answers
 * that are not results (`echoImageUrls`), and the whole answer wrapped in `data` (`wrapInData`).
 */
function shaped(
	ctx: RouteContext,
	job: Job,
	view: Record<string, unknown>,
): Record<string, unknown> {
	const echoed =
		ctx.options.echoImageUrls && view.status !== 'completed' && job.request.references
			? { ...view, image_url: job.request.references }
			: view;
	return ctx.options.wrapInData ? { data: echoed } : echoed;
}

async function image(ctx: RouteContext, id: string): Promise<Reply> {
	if (!ctx.images.has(id))
		return { status: 404, json: errorBody(404, { message: 'File not found or expired.' }) };
	if (ctx.options.downloadDelayMs > 0) await ctx.sleep(ctx.options.downloadDelayMs);
	return { status: 200, png: await ctx.images.render(id), contentType: ctx.images.mimeType(id) };
}

/** `refuseFields`: the first of them the body carries, refused the way an OpenAI-style gateway does. */
function refusedField(fields: string[], body: unknown): ValidationProblem | undefined {
	if (typeof body !== 'object' || body === null) return undefined;
	const field = fields.find((name) => name in body);
	return field
		? { param: field, message: `Unknown parameter: '${field}'.`, code: 'unknown_parameter' }
		: undefined;
}
