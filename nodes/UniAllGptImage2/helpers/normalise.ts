import {
	ASPECT_RATIOS,
	classifyTaskStatus,
	GENERATION_MODE,
	RESOLUTIONS,
	tierOfSize,
	type GenerationOperation,
	type Resolution,
	type TaskState,
} from './contract';

/** One image as the API handed it over: a URL to download, or the bytes inline. */
export type ApiImage = { url: string } | { b64: string; mimeType?: string };

export type GenerationAnswer =
	| { kind: 'images'; images: ApiImage[]; reportedCost?: number; taskId?: string }
	| {
			kind: 'task';
			taskId: string;
			status: string;
			progress?: number;
			/** Set when the answer already says the task failed: its reason. */
			failed?: TaskError;
	  }
	/**
	 * A status with no task id the node can follow: failed (with its reason), or accepted and still
	 * running (or in a state the node does not know), which will be billed but cannot be awaited.
	 */
	| { kind: 'untracked'; status: string; failed?: TaskError };

export interface TaskError {
	code?: string;
	message: string;
}

export interface TaskSnapshot {
	taskId?: string;
	state: TaskState | 'unknown';
	status: string;
	progress?: number;
	images: ApiImage[];
	error?: TaskError;
	reportedCost?: number;
	/** The tier the answer says the task was generated at (`resolution`, or a documented `size`). */
	reportedResolution?: Resolution;
	/** The model the answer names. */
	reportedModel?: string;
	/** What the answer tells of the request, when it echoes it (UniAll documents no echo). */
	reportedPrompt?: string;
	reportedAspectRatio?: string;
	reportedOperation?: GenerationOperation;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json =>
	typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

/**
 * Answer of POST /v1/images/generations: synchronous images, or a task to poll. A status wins
 * over image URLs: a queued or failed answer may echo the request's reference `image_url`s, and
 * those are not results (downloading them would bill the user for their own references). A
 * status word the node does not know counts as running when there is a task to poll.
 */
export function normaliseGenerationAnswer(body: unknown): GenerationAnswer {
	const json = unwrapData(body);
	const taskId = taskIdOf(json);
	const status = statusOf(json);
	const state = status === undefined ? undefined : (classifyTaskStatus(status) ?? 'unknown');
	// Only a succeeded state, or no status at all, may yield images: any other status may come with
	// the request's own reference URLs echoed.
	const finished = status === undefined || state === 'succeeded';
	const images = finished ? collectImages(json) : [];
	if (images.length > 0)
		return { kind: 'images', images, reportedCost: reportedCostOf(json), taskId };
	if (!taskId) {
		if (finished) return { kind: 'images', images: [] };
		return state === 'failed'
			? { kind: 'untracked', status: String(status), failed: errorOf(json) }
			: { kind: 'untracked', status: String(status) };
	}
	// Running, failed, or done without images in the answer: the task tells.
	const answer: GenerationAnswer = {
		kind: 'task',
		taskId,
		status: status ?? 'queued',
		progress: progressOf(json),
	};
	if (state === 'failed') answer.failed = errorOf(json);
	return answer;
}

/** Answer of GET /v1/images/tasks/{id}. */
export function normaliseTaskAnswer(body: unknown): TaskSnapshot {
	const task = unwrapData(body);
	const status = statusOf(task) ?? '';
	let state: TaskSnapshot['state'] = classifyTaskStatus(status) ?? 'unknown';
	// Images count only from a finished task, or from an answer with no status at all; a status
	// the node does not know (a number included) is never taken for a result (polling goes on
	// until the Timeout).
	const images = state === 'succeeded' || status === '' ? collectImages(task) : [];
	if (state === 'unknown' && images.length > 0) state = 'succeeded';
	return {
		taskId: taskIdOf(task),
		state,
		status: status || state,
		progress: progressOf(task),
		images,
		error: state === 'failed' ? errorOf(task) : undefined,
		reportedCost: reportedCostOf(task),
		reportedResolution: reportedResolutionOf(task),
		reportedModel: echoed(task, 'model'),
		reportedPrompt: echoed(task, 'prompt'),
		reportedAspectRatio: ASPECT_RATIOS.find((ratio) => ratio === echoed(task, 'aspect_ratio')),
		reportedOperation: (Object.keys(GENERATION_MODE) as GenerationOperation[]).find(
			(operation) => GENERATION_MODE[operation] === echoed(task, 'generation_mode'),
		),
	};
}

/** A text field of the request, wherever the answer echoes it. */
function echoed(task: Json, field: string): string | undefined {
	return requestFields(task)
		.map((holder) => str(holder[field]))
		.find(Boolean);
}

/**
 * Where a task answer may echo what was requested: at the top, or under
 * request/input/params/metadata.
 */
function requestFields(json: Json): Json[] {
	return [
		json,
		json.request,
		json.input,
		json.params,
		json.parameters,
		json.metadata,
		json.result,
	].filter(isObject);
}

function reportedResolutionOf(json: Json): Resolution | undefined {
	for (const holder of requestFields(json)) {
		const named = str(holder.resolution)?.toUpperCase();
		const tier = RESOLUTIONS.find((r) => r === named);
		if (tier) return tier;
		const size = /^(\d+)\s*[x×*]\s*(\d+)$/i.exec(str(holder.size) ?? '');
		const sized = size ? tierOfSize(Number(size[1]), Number(size[2])) : undefined;
		if (sized) return sized;
	}
	return undefined;
}

/**
 * Some gateways wrap the answer (a task, or the whole answer) in a `data` object, e.g.
 * `{"data":{"task_id":"task_1","status":"queued"}}`. Its fields are read as if they were at the
 * top; fields beside it (a `usage` cost) stay visible. A `data` list is a synchronous answer's
 * images.
 */
function unwrapData(body: unknown): Json {
	const json = isObject(body) ? body : {};
	if (!isObject(json.data)) return json;
	const { data, ...rest } = json;
	return { ...rest, ...data };
}

/** The status as the answer gives it: a word, or a number (which no vocabulary knows). */
function statusOf(json: Json): string | undefined {
	if (typeof json.status === 'number' && Number.isFinite(json.status)) return String(json.status);
	return str(json.status);
}

function taskIdOf(json: Json): string | undefined {
	const taskId = str(json.task_id) ?? str(json.taskId);
	if (taskId) return taskId;
	// `id` alone is a task id only when the answer looks like
	// a task (not e.g. a chat-style id on a sync answer).
	const id = str(json.id);
	if (id && (json.status !== undefined || /^task[_-]/i.test(id))) return id;
	return undefined;
}

function progressOf(json: Json): number | undefined {
	const p = typeof json.progress === 'string' ? parseFloat(json.progress) : json.progress;
	return typeof p === 'number' && Number.isFinite(p) ? Math.max(0, Math.min(100, p)) : undefined;
}

function reportedCostOf(json: Json): number | undefined {
	for (const holder of [json, json.usage, json.result]) {
		if (!isObject(holder)) continue;
		for (const key of ['cost', 'total_cost', 'cost_usd']) {
			const v = holder[key];
			if (typeof v === 'number' && Number.isFinite(v) && v >= 0) return v;
		}
	}
	return undefined;
}

/** The reason of a failed task: `error` (string or object), New API's `fail_reason`, or kin. */
function errorOf(json: Json): TaskError {
	for (const key of REASON_FIELDS) {
		const e = json[key];
		if (isObject(e)) {
			const message = str(e.message) ?? str(e.reason);
			if (message) return { code: str(e.code) ?? str(e.type), message };
		} else if (str(e)) return { message: str(e) as string };
	}
	return { message: 'no reason given' };
}

const REASON_FIELDS = [
	'error',
	'fail_reason',
	'failure_reason',
	'failReason',
	'reason',
	'error_message',
	'message',
	'msg',
];

/** Where result images may sit, in the order UniAll's pages show them. */
function collectImages(json: Json): ApiImage[] {
	const result = isObject(json.result) ? json.result : undefined;
	const candidates: unknown[] = [
		json.data,
		result?.outputs,
		result?.images,
		result?.data,
		result?.output,
		result?.url,
		result?.image_url,
		json.images,
		json.outputs,
		json.output,
		json.image_urls,
		json.image_url,
		json.url,
	];
	for (const candidate of candidates) {
		const images = imagesFrom(candidate);
		if (images.length > 0) return images;
	}
	return [];
}

function imagesFrom(value: unknown): ApiImage[] {
	const list = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
	const images: ApiImage[] = [];
	for (const entry of list) {
		const image = imageFrom(entry);
		if (image) images.push(image);
	}
	return images;
}

function imageFrom(entry: unknown): ApiImage | undefined {
	if (typeof entry === 'string') return entryFromString(entry);
	if (!isObject(entry)) return undefined;
	const b64 = str(entry.b64_json) ?? str(entry.b64) ?? str(entry.base64);
	if (b64) return { b64, mimeType: str(entry.mime_type) ?? str(entry.mimeType) };
	const url = str(entry.url) ?? str(entry.image_url) ?? str(entry.uri);
	return url ? entryFromString(url) : undefined;
}

function entryFromString(text: string): ApiImage | undefined {
	const value = text.trim();
	const dataUrl = /^data:(image\/[a-z0-9.+-]+);base64,(.*)$/is.exec(value);
	if (dataUrl) return { b64: dataUrl[2], mimeType: dataUrl[1].toLowerCase() };
	return value ? { url: value } : undefined;
}
