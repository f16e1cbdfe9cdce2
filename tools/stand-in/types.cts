/** The stand-in's public types (options, faults, request log), shared by its modules and tests. */

export type StandInMode = 'sync-url' | 'sync-b64' | 'async';

/** Which request body the stand-in accepts: UniAll's article format, or strictly the OpenAI-compatible one. */
export type ApiStyle = 'uniall' | 'openai';
export const API_STYLES: readonly ApiStyle[] = ['uniall', 'openai'];

/** Where a completed task lists its image URLs: the node must accept each of these. */
export type ResultShape =
	| 'result.outputs'
	| 'result.images'
	| 'data'
	| 'images'
	| 'output'
	| 'image_url';
export const RESULT_SHAPES: readonly ResultShape[] = [
	'result.outputs',
	'result.images',
	'data',
	'images',
	'output',
	'image_url',
];

/** `admin` requests (/__admin/*) are never logged or faulted. */
export type RouteName = 'generations' | 'task' | 'models' | 'image' | 'chat' | 'admin' | 'other';

export interface StandInOptions {
	/** Default 0 (a free port); the CLI uses 8787. */
	port?: number;
	/** Default 127.0.0.1: the stand-in is never reachable from outside the machine. */
	host?: string;
	/** Expected bearer token; default `test-uniall-key`. */
	apiKey?: string;
	/** Default `async`: how a creating POST is answered (in either API style). */
	mode?: StandInMode;
	/** Default `uniall`. `openai`: only the OpenAI-compatible body (size, n) and /v1/images/edits. */
	apiStyle?: ApiStyle;
	/** Generation time: sync answers wait this long; async tasks complete after it. Default 300 (async) / 0 (sync). */
	latencyMs?: number;
	/** Incompressible noise PNGs of the real pixel size (a 4K 16:9 image is ~24 MB). */
	largeImages?: boolean;
	/** Flat striped pictures (a 1K PNG of a few KB) instead of photo-like ones: for tests where size does not matter. */
	flatImages?: boolean;
	/** Delay before an image download is answered. */
	downloadDelayMs?: number;
	/** Default `result.outputs`. */
	resultShape?: ResultShape;
	/** Extra fields merged into every successful generation/task answer (e.g. a usage cost). */
	extraAnswerFields?: Record<string, unknown>;
	/** Remember Idempotency-Keys like Stripe: same key + same body replays the first answer, a different body gets 422. */
	honourIdempotencyKeys?: boolean;
	/** Async POST answers and task answers come wrapped: `{"data": {...}}`. */
	wrapInData?: boolean;
	/** Answers that are not results (queued, running, failed) echo the request's reference `image_url`s. */
	echoImageUrls?: boolean;
	/** Fields refused as unknown in either API style (400 `unknown_parameter`), e.g. `['output_format']`. */
	refuseFields?: string[];
	/** Accept `output_format` / `output_compression` but deliver PNGs anyway, like a gateway that drops them. */
	ignoreOutputFormat?: boolean;
	/** Accept `background` but deliver opaque images anyway, like a gateway that drops it. */
	ignoreBackground?: boolean;
	/** Print one line per request (method, path, status) to stdout: the CLI's request log. */
	verbose?: boolean;
}

export type FaultKind =
	| 'status'
	| 'drop'
	| 'slow'
	| 'accept-then-drop'
	| 'redirect'
	| 'not-image'
	| 'truncate';

export interface Fault {
	route: RouteName | '*';
	kind: FaultKind;
	/** How many matching requests it affects; default 1. */
	times?: number;
	/** For `status`: 400, 401, 402, 403, 404, 429, 500, 502, 503, 504. For `redirect`: 301, 302 (default), 303, 307, 308. */
	status?: number;
	/** For `redirect`: the `Location` header, absolute or relative, sent as given. */
	location?: string;
	/** Seconds, sent as `Retry-After`. */
	retryAfter?: number;
	/** Override the OpenAI-style error body's code and message. */
	code?: string;
	message?: string;
	/** For `slow`: wait this long, then answer normally. For `truncate`: stall this long after half the body, then reset. */
	delayMs?: number;
	/** For `truncate`: cut after this many bytes instead of half the body. */
	atBytes?: number;
}

export interface RequestLogEntry {
	route: RouteName;
	method: string;
	path: string;
	/** Every header as received, nothing redacted: tests must see `authorization` to assert who sent the key. */
	headers: Record<string, string | undefined>;
	/** The bearer token equals the stand-in's key. */
	authorized: boolean;
	/** Parsed JSON body (or the first 200 characters when it was not JSON). */
	body?: unknown;
	/** HTTP status answered; -1 when the connection was dropped instead. */
	status: number;
	/** Date.now() when the request arrived. */
	at: number;
	idempotencyKey?: string;
	/** The fault applied: the status (as a string) or the fault kind. */
	faulted?: string;
	/** generations only: a job was created, i.e. UniAll would bill its delivered images. */
	accepted?: boolean;
	/** generations only: the created job's id (for a replay, the first request's job). */
	taskId?: string;
	/** generations only (`honourIdempotencyKeys`): the first answer for this key was replayed; no new job. */
	replayed?: boolean;
}

export interface CountFilter {
	status?: number;
	method?: string;
	accepted?: boolean;
}

/** Options after defaults: what the running stand-in consults on every request. */
export type ResolvedOptions = Required<
	Omit<StandInOptions, 'port' | 'host' | 'extraAnswerFields'>
> &
	Pick<StandInOptions, 'extraAnswerFields'>;
