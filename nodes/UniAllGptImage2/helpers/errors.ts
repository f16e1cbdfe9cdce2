/**
 * The catalogue of what the node says when something goes wrong: the error classes of the pure
 * layers and every user-facing message builder. Pure: the n8n side (transport/nodeErrors.ts)
 * wraps the words in n8n errors and error items. Nothing here ever sees the API key.
 */
import { MAX_API_ANSWER_BYTES, OUTPUT_FIELDS, type OutputField } from './contract';
import { addUsd } from './pricing';
import { shortUrl } from './urls';

// ---------------------------------------------------------------------------------------------
// How errors name the item and break their lines, the same way n8n's editor shows them.

/**
 * The item an error is about, numbered as n8n numbers it: its editor ends a node's error message
 * with " [item 1]" (the 0-based item index) when the input has several items, unless the message
 * already contains "item 1". So every message carries that label itself: the editor shows it once,
 * and the JSON of an error item (Continue On Fail) carries the same number.
 */
export function withItem(message: string, itemIndex: number): string {
	const label = `item ${itemIndex}`;
	return message.includes(`[${label}]`) ? message : `${message} [${label}]`;
}

/**
 * Descriptions are written as plain lines (error items carry them so). n8n's editor renders the
 * description of a failed node as HTML (sanitised), where a newline is just a space: for it, lines
 * are joined with <br>, and the text is escaped so that a `<` from an answer still shows.
 */
export function editorHtml(text: string): string {
	return text
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/\n/g, '<br>');
}

// ---------------------------------------------------------------------------------------------
// Error classes. The n8n layer adds the item label and turns them into n8n errors.

/** A problem with one parameter of one row; nothing was sent to UniAll. */
export class InputError extends Error {
	constructor(
		readonly field: string,
		message: string,
	) {
		super(message);
		this.name = 'InputError';
	}
}

/**
 * The execution was cancelled (the user pressed stop, or the workflow timed out).
 * `whileSubmitting`: the paid POST was in flight, so UniAll may have accepted the job.
 */
export class CancelledError extends Error {
	constructor(readonly whileSubmitting = false) {
		super('The execution was cancelled');
		this.name = 'CancelledError';
	}
}

/** The row's Timeout ran out; the caller knows what was under way and words the error. */
export class DeadlineError extends Error {
	constructor() {
		super('deadline passed');
		this.name = 'DeadlineError';
	}
}

/** A row that would take the execution over Max Cost per Execution; nothing was submitted. */
export class BudgetExceededError extends Error {
	constructor(
		readonly limitUsd: number,
		readonly spentUsd: number,
		readonly requestUsd: number,
	) {
		super(
			`This row would cost $${requestUsd} and bring the spend of this execution to ` +
				`$${addUsd(spentUsd, requestUsd)}, ` +
				`over the Max Cost per Execution of $${limitUsd}`,
		);
		this.name = 'BudgetExceededError';
	}
}

/** What the n8n layer says under the message of a pure error (the item label goes after it). */
export function describeInputError(error: InputError): string {
	return (
		`Check the "${error.field}" parameter of the node for this item. ` +
		`Nothing was sent to UniAll.`
	);
}

export const BUDGET_EXCEEDED_DESCRIPTION =
	'Raise the Max Cost per Execution option, or run fewer items. ' +
	'Nothing was submitted for this item.';

export const INVALID_BASE_URL: Pick<MappedError, 'message' | 'description'> = {
	message: 'The Base URL in the UniAll AI API credential is not a valid http(s) URL',
	description: 'Open the credential and set Base URL to e.g. https://api.uniall.ai',
};

/**
 * n8n itself adds "Custom API Call" (value __CUSTOM_API_CALL__) to the operations of every node
 * whose credential has an `authenticate` block, as ours does: it stands for the HTTP Request node.
 */
export const CUSTOM_API_CALL = '__CUSTOM_API_CALL__';

export const unsupportedOperation = (operation: string) =>
	operation === CUSTOM_API_CALL
		? 'Custom API Call is not an operation of this node. n8n lists it for every node whose ' +
			"credential can sign requests; for another UniAll route, use n8n's HTTP Request node"
		: `The operation "${operation}" is not supported`;

/**
 * A server's words with every secret taken out: the credential's key wherever it appears, and
 * anything that looks like one (`sk-…`, a bearer token), since gateways echo keys in auth errors.
 */
export function redactSecrets(text: string, secrets: readonly string[] = []): string {
	let out = text;
	for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join('[redacted]');
	return out
		.replace(/\bBearer\s+[^\s"',;]+/gi, 'Bearer [redacted]')
		.replace(/\bsk-[A-Za-z0-9_-]{4,}/g, 'sk-[redacted]');
}

// ---------------------------------------------------------------------------------------------
// UniAll's answers to API calls.

export interface ApiFailure {
	/** HTTP status, or undefined for network errors. */
	status?: number;
	/** Parsed error body, if any. */
	body?: unknown;
	/** Node/axios network error code (ECONNRESET, ETIMEDOUT, …). */
	networkCode?: string;
	/** Seconds, when the API sent Retry-After. */
	retryAfterSeconds?: number;
	/** The answer grew past MAX_API_ANSWER_BYTES while it was read. */
	tooLarge?: boolean;
}

export interface MappedError {
	message: string;
	description: string;
	httpCode?: string;
	/** Stable machine-readable reason, also put on error items. */
	reason:
		| 'invalid_request'
		| 'content_policy'
		| 'unauthorized'
		| 'insufficient_balance'
		| 'forbidden'
		| 'not_found'
		| 'rate_limited'
		| 'server_error'
		| 'network'
		| 'timeout'
		| 'task_failed'
		| 'redirect'
		| 'bad_response'
		| 'download_refused'
		| 'link_expired';
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json =>
	typeof v === 'object' && v !== null && !Array.isArray(v);

export function apiErrorDetails(body: unknown): {
	message?: string;
	code?: string;
	type?: string;
	param?: string;
} {
	if (typeof body === 'string') {
		const text = body.trim();
		if (!text) return {};
		try {
			return apiErrorDetails(JSON.parse(text));
		} catch {
			return { message: text.slice(0, 300) };
		}
	}
	if (!isObject(body)) return {};
	const error = isObject(body.error) ? body.error : body;
	const pick = (v: unknown) =>
		typeof v === 'string' && v.trim() ? v.trim() : typeof v === 'number' ? String(v) : undefined;
	return {
		message:
			pick(error.message) ??
			pick(body.message) ??
			(typeof body.error === 'string' ? body.error : undefined),
		code: pick(error.code),
		type: pick(error.type),
		param: pick(error.param),
	};
}

const POLICY = /content[_ ]?policy|safety|moderation|flagged|nsfw/i;
const QUOTA = /quota|balance|insufficient|credit|billing|payment/i;

export function mapApiFailure(failure: ApiFailure, what = 'the request'): MappedError {
	const { status, networkCode } = failure;
	const details = apiErrorDetails(failure.body);
	const said = details.message ? ` UniAll said: "${details.message}"` : '';
	const httpCode = status !== undefined ? String(status) : undefined;
	const text = `${details.code ?? ''} ${details.type ?? ''} ${details.message ?? ''}`;

	if (status === undefined) {
		const timeout =
			networkCode === 'ETIMEDOUT' ||
			networkCode === 'ECONNABORTED' ||
			networkCode === 'ESOCKETTIMEDOUT';
		// Socket codes stay out of the message: n8n replaces
		// messages that contain them with generic text.
		return {
			reason: timeout ? 'timeout' : 'network',
			message: timeout
				? `UniAll did not answer ${what} in time`
				: `Could not reach UniAll for ${what}: ${networkWords(networkCode)}`,
			description:
				'Check the Base URL in the UniAll AI API credential and the network between n8n and UniAll. ' +
				'Transient network errors were retried where that could not cause a second charge.' +
				(networkCode ? ` (Network error code: ${networkCode}.)` : ''),
		};
	}
	if (status >= 300 && status < 400) {
		return {
			reason: 'redirect',
			httpCode,
			message: `UniAll answered ${what} with a redirect (HTTP ${status})`,
			description:
				'The API key is never sent to another address. ' +
				'Set the Base URL in the UniAll AI API credential to the address the API really ' +
				'lives at.',
		};
	}
	if (status === 401) {
		return {
			reason: 'unauthorized',
			httpCode,
			message: 'UniAll rejected the API key (HTTP 401)',
			description:
				'Check the API key in the UniAll AI API credential: ' +
				'it may be mistyped, revoked or for another environment.',
		};
	}
	if (
		status === 402 ||
		((status === 403 || status === 429) && QUOTA.test(text) && !/rate/i.test(details.code ?? ''))
	) {
		return {
			reason: 'insufficient_balance',
			httpCode,
			message: `Your UniAll balance is exhausted (HTTP ${status})`,
			description:
				`Top up the UniAll account this API key ` +
				`belongs to, then run the workflow again.${said}`,
		};
	}
	if (status === 403) {
		return {
			reason: 'forbidden',
			httpCode,
			message: 'This UniAll API key may not use this model (HTTP 403)',
			description:
				`Enable the model for this key in the UniAll dashboard, ` +
				`or check the Model option.${said}`,
		};
	}
	if (status === 400 && POLICY.test(text)) {
		return {
			reason: 'content_policy',
			httpCode,
			message: "The prompt was rejected by UniAll's content policy",
			description:
				`Rephrase the prompt (or change the reference images) and try again. ` +
				`This is not retried.${said}`,
		};
	}
	if (status === 400 || status === 422) {
		const field = details.param ? ` (field "${details.param}")` : '';
		return {
			reason: 'invalid_request',
			httpCode,
			message: `UniAll refused the request${field}: ${details.message ?? 'invalid parameters'}`,
			description: 'Check the node parameters for this row. The request was not retried.',
		};
	}
	if (status === 404) {
		return {
			reason: 'not_found',
			httpCode,
			message: `UniAll could not find ${what} (HTTP 404)`,
			description: `Check the Base URL of the credential, the Model option, or the task id.${said}`,
		};
	}
	if (status === 429) {
		return {
			reason: 'rate_limited',
			httpCode,
			message: 'UniAll rate limit reached (HTTP 429) and the retries did not get through',
			description:
				`Lower the Concurrency option, raise Max ` + `Retries, or run the workflow later.${said}`,
		};
	}
	if (status === 520 || status === 524) {
		return {
			reason: 'server_error',
			httpCode,
			message:
				status === 524
					? `The gateway in front of UniAll gave up waiting for its answer (HTTP 524)`
					: `The gateway in front of UniAll got an unknown error from it (HTTP 520)`,
			description:
				`UniAll received the request, so it may still finish it. A slow generation ` +
				`(4K, high quality) can outlast a Cloudflare gateway's 100 s: turn Wait for ` +
				`Completion off and collect the images with Get Task.${said}`,
		};
	}
	if (status >= 500) {
		return {
			reason: 'server_error',
			httpCode,
			message: `UniAll had a server error (HTTP ${status})`,
			description: `This is on UniAll's side. Safe retries were made; try again later.${said}`,
		};
	}
	return {
		reason: 'bad_response',
		httpCode,
		message: `UniAll answered ${what} with HTTP ${status}`,
		description: said.trim() || 'Unexpected answer from the API.',
	};
}

function networkWords(code?: string): string {
	switch (code) {
		case 'ECONNREFUSED':
			return 'the connection was refused';
		case 'ECONNRESET':
		case 'EPIPE':
			return 'the connection was dropped';
		case 'ENOTFOUND':
		case 'EAI_AGAIN':
			return 'the host name could not be resolved';
		case 'ENETUNREACH':
		case 'EHOSTUNREACH':
			return 'the network is unreachable';
		default:
			return 'network error';
	}
}

/**
 * A 2xx answer the node could not read: cut off, not JSON (a proxy's HTML page), or over the
 * size cap. It is never resent; a task id read from the fragment is named for Get Task.
 */
export function unreadableAnswer(what: string, failure: ApiFailure, taskId?: string): MappedError {
	const why = failure.tooLarge
		? `its answer was larger than ${MAX_API_ANSWER_BYTES / 1024 / 1024} MB and was not read`
		: 'its answer could not be read as JSON (cut off, or not from the API)';
	return {
		reason: 'bad_response',
		httpCode: failure.status !== undefined ? String(failure.status) : undefined,
		message: `UniAll answered ${what} (HTTP ${failure.status ?? '?'}), but ${why}`,
		description: taskId
			? `The answer names task ${taskId}: fetch it with the Get Task operation and Task ID "${taskId}".`
			: 'A proxy or gateway in front of UniAll may have changed or cut the answer.',
	};
}

/** UniAll kept answering 429 to a submission until the row's Timeout ran out. */
export function rateLimitedUntilTimeout(
	what: string,
	failure: ApiFailure,
	msLeft?: number,
): MappedError {
	const said = apiErrorDetails(failure.body).message;
	const asked = failure.retryAfterSeconds;
	// A Retry-After longer than the Timeout leaves ends the row at once: say so, not "ran out"
	// (with under a second left, the Timeout has as good as run out).
	const waitTooLong =
		asked !== undefined && msLeft !== undefined && msLeft >= 1000 && asked * 1000 > msLeft;
	return {
		reason: 'rate_limited',
		httpCode: '429',
		message: waitTooLong
			? `UniAll asked to wait ${asked} s (HTTP 429, Retry-After) before ${what}, longer than the row's Timeout leaves (${Math.max(0, Math.floor(msLeft / 1000))} s)`
			: `UniAll was still rate limiting ${what} (HTTP 429) when the row's Timeout ran out`,
		description:
			'A rate limit means UniAll accepted nothing, so nothing is billed. ' +
			'The node waited (all rows together, honouring Retry-After) ' +
			'and resent the same request until the Timeout. ' +
			'Raise the Timeout option, lower the Concurrency option, or run the workflow later.' +
			(said ? ` UniAll said: "${said}"` : ''),
	};
}

// ---------------------------------------------------------------------------------------------
// Generations: submitted, waited for, finished.

/** A task UniAll reports as failed; failed images are not billed. */
export function taskFailed(
	taskId: string | undefined,
	task: { status: string; error?: { message?: string; code?: string } },
): MappedError {
	const what = taskId ? `generation task ${taskId}` : 'generation';
	return {
		reason: 'task_failed',
		message: `The ${what} failed: ${task.error?.message ?? 'no reason given'}`,
		description:
			`UniAll reported status ` +
			`"${task.status}"${task.error?.code ? ` (${task.error.code})` : ''}. ` +
			`Failed images are not billed.`,
	};
}

/**
 * The paid POST was answered with a running (or unknown) status but no task id the node can read:
 * the job exists and will be billed, yet it cannot be awaited or fetched. The answer is quoted
 * (shortened) so the user can find the job on UniAll's side.
 */
export function acceptedUnfollowable(status: string, answered: string): MappedError {
	const quoted = answered.length > 300 ? `${answered.slice(0, 300)}…` : answered;
	return {
		reason: 'bad_response',
		message: `UniAll accepted the generation (status "${status}") but named no task the node can follow`,
		description:
			`The job may finish and be billed; it stays counted against Max Cost per Execution and ` +
			`is not resent. UniAll answered: ${quoted}. Look the job up in your UniAll account, or ` +
			`check that the credential's Base URL points at UniAll's API.`,
	};
}

export function noImagesReturned(taskId?: string): MappedError {
	return {
		reason: 'bad_response',
		message: 'UniAll finished the generation but returned no images',
		description: `Nothing was delivered, so nothing is billed.${taskId ? ` Task ${taskId}.` : ''}`,
	};
}

/**
 * Checking on an accepted task failed (its retries are spent): the job may still complete and be
 * billed, so the words name the task for Get Task. Added to the failed check's own words.
 */
export function taskStillOpen(taskId: string): {
	messageSuffix: string;
	descriptionPrefix: string;
} {
	return {
		messageSuffix: ` while checking task ${taskId}`,
		descriptionPrefix:
			`UniAll accepted the generation, so it may still complete and be billed: ` +
			`fetch it later with the Get Task operation and Task ID "${taskId}".`,
	};
}

/** An accepted task that did not finish within the row's Timeout. */
export function taskTimeout(taskId: string, timeoutMs: number): MappedError {
	return {
		reason: 'timeout',
		message: `The generation did not finish within ${timeoutMs / 1000} s (task ${taskId})`,
		description:
			`The task may still complete. Fetch it later with the Get Task operation and Task ID ` +
			`"${taskId}", or raise the Timeout option.`,
	};
}

/** The Timeout ran out before the creating POST could go out (refused or rate limited before). */
export function notSentWithinTimeout(timeoutMs: number): MappedError {
	return {
		reason: 'timeout',
		message: `The generation request could not be sent within the Timeout of ${timeoutMs / 1000} s`,
		description:
			'UniAll was rate limiting or unreachable and accepted nothing, so nothing is billed. ' +
			'Raise the Timeout option, or run the workflow later.',
	};
}

/** The creating POST went out but its answer did not come back within the Timeout. */
export function syncTimeout(timeoutMs: number): MappedError {
	return {
		reason: 'timeout',
		message:
			`UniAll did not answer the generation request ` +
			`within the Timeout of ${timeoutMs / 1000} s`,
		description:
			'Raise the Timeout option: large images and several images per request can take ' +
			'minutes. The request was not resent, ' +
			'so that nobody pays twice; UniAll may still finish and bill it, ' +
			'so it stays counted against Max Cost per Execution.',
	};
}

/** Added to UniAll's refusal of a request format's fields (HTTP 400/422). */
export const FORMAT_HINTS = {
	pinned: (format: string) =>
		`Request Format is set to "${format}"; if UniAll speaks the other format, ` +
		`set Request Format to Auto.`,
	noOpenAiSize: (ratio: string, resolution: string) =>
		`UniAll does not take the UniAll request format, ` +
		`and Aspect Ratio ${ratio} at Resolution ${resolution} has no documented size in the ` +
		`OpenAI-compatible one. Choose another Aspect Ratio or Resolution.`,
	bothRefused: (refusedMessage: string) =>
		`UniAll refused the UniAll request format too: ${refusedMessage}`,
	outputOptionRefused: (field: OutputField, value: unknown, formats: string[]) =>
		`UniAll refused the ${OUTPUT_FIELDS[field]} option (${JSON.stringify(value)}) in the ` +
		`${formats.join(' and the ')} request format${formats.length > 1 ? 's' : ''}; ` +
		`nothing was generated or billed. Remove ${OUTPUT_FIELDS[field]} from the node's options ` +
		`(${WITHOUT_OUTPUT_OPTION[field]}).`,
};

/** What a user gets once a refused output option is removed. */
const WITHOUT_OUTPUT_OPTION: Record<OutputField, string> = {
	output_format: 'the image then comes as PNG; Edit Image can convert it',
	output_compression: 'the image then comes at full quality',
	quality: "the image then comes at UniAll's default quality, at the same price",
	background: 'the model then picks the background',
};

/** Transparent needs an image format with an alpha channel: refused before anything is sent. */
export const TRANSPARENT_JPEG =
	'Background Transparent cannot be used with Output Format JPEG: JPEG has no transparency. ' +
	'Set Output Format to PNG or WebP, or Background to Auto or Opaque';

/** Added to a failed creating POST whose answer was lost: a job may exist. */
export const MAY_HAVE_ACCEPTED_NOTE =
	'UniAll may have accepted the job before its answer was lost: ' +
	'it was not resent, so that nobody pays twice, ' +
	'and it stays counted against Max Cost per Execution.';

// ---------------------------------------------------------------------------------------------
// Image downloads. They go to the image host with no API key, after the image was generated and
// billed, so their words name the host (not UniAll, not the key) and say how to get the image.

/** What the node knows about the image being downloaded, for the words of a failure. */
export interface DownloadFacts {
	url: string;
	taskId?: string;
	timeoutMs?: number;
	/** Get Task's download: the image was billed when it was generated, not by this run. */
	fetchedByGetTask?: boolean;
}

const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ECONNABORTED', 'ESOCKETTIMEDOUT']);

/** How to get a billed image the node could not hand on. */
function recovery(facts: DownloadFacts): string {
	const task = facts.taskId
		? `, or fetch the task again with the Get Task operation and Task ID "${facts.taskId}"`
		: '';
	return (
		`The image was generated (and billed) but not stored. ` +
		`Download it from ${shortUrl(facts.url)} while that link lasts${task}.`
	);
}

/**
 * The image host no longer has the image (404, 410): its link expired. UniAll's result links last
 * about a day, so fetching the task again gives the same dead link.
 */
export function downloadExpired(facts: DownloadFacts, status: number): MappedError {
	const billed = facts.fetchedByGetTask
		? `Get Task bills nothing; the image was billed when it was generated.`
		: `The image was generated and billed, but its link no longer works.`;
	return {
		reason: 'link_expired',
		httpCode: String(status),
		message: `The image link has expired: the image host answered ${shortUrl(facts.url)} with HTTP ${status}`,
		description:
			`${billed} UniAll's image links last about a day, so Get Task${facts.taskId ? ` for task "${facts.taskId}"` : ''} ` +
			`cannot fetch it again either: generate the image again, and store images when they are ` +
			`delivered (Download Images on) or fetch submitted tasks within the day.`,
	};
}

/** A download that did not finish by the row's deadline: the same words as every other timeout. */
export function downloadTimeout(facts: DownloadFacts): MappedError {
	const within = facts.timeoutMs !== undefined ? ` within ${facts.timeoutMs / 1000} s` : ' in time';
	return {
		reason: 'timeout',
		message:
			`The image download did not finish` +
			`${within}${facts.taskId ? ` (task ${facts.taskId})` : ''}`,
		description: `${recovery(facts)} Raise the Timeout option if the image host is slow.`,
	};
}

/** A download whose connection broke after the image had started to arrive. */
export function downloadInterrupted(facts: DownloadFacts, networkCode?: string): MappedError {
	return {
		reason: 'network',
		message:
			`The image download from ${shortUrl(facts.url)} was ` +
			`interrupted: ${networkWords(networkCode)}`,
		description: `${recovery(facts)}${networkCode ? ` (Network error code: ${networkCode}.)` : ''}`,
	};
}

/** The host answered something that is not a PNG, JPEG or WebP image. Nothing was stored. */
export function notAnImage(facts: DownloadFacts, contentType?: string): MappedError {
	const declared = contentType ? ` (it was labelled "${contentType.slice(0, 60)}")` : '';
	return {
		reason: 'bad_response',
		message:
			`The image host answered ${shortUrl(facts.url)} with data that is not a PNG, ` +
			`JPEG or WebP image${declared}; it was not stored`,
		description:
			`Nothing from that address was handed on, ` + `to protect the workflow. ${recovery(facts)}`,
	};
}

/**
 * A redirect the node does not follow: to a refused
 * address (`refusal` says why), or one hop too many.
 */
export function refusedRedirect(facts: DownloadFacts, refusal: string): MappedError {
	return {
		reason: 'bad_response',
		message: refusal,
		description: `${recovery(facts)} Redirects are checked hop by hop, to protect the n8n instance.`,
	};
}

export function tooManyRedirects(facts: DownloadFacts, maxHops: number): MappedError {
	return refusedRedirect(
		facts,
		`The image host redirected ${shortUrl(facts.url)} more than ${maxHops} times; ` +
			`it was not downloaded`,
	);
}

/**
 * An HTTP or network failure of a download. No API key is sent to image hosts, so a 401/403 is
 * the host refusing (an expired or signed link), never a problem with the UniAll credential.
 */
export function mapDownloadFailure(failure: ApiFailure, facts: DownloadFacts): MappedError {
	const { status, networkCode } = failure;
	if (status === undefined && networkCode && TIMEOUT_CODES.has(networkCode))
		return downloadTimeout(facts);
	if (status === 401 || status === 403) {
		return {
			reason: 'download_refused',
			httpCode: String(status),
			message: `The image host refused the download of ${shortUrl(facts.url)} (HTTP ${status})`,
			description:
				`No API key is sent to image hosts, so this is not about the UniAll credential: ` +
				`the link may have expired. ${recovery(facts)}`,
		};
	}
	if (status === 404 || status === 410) return downloadExpired(facts, status);
	if (status === 429) {
		return {
			reason: 'rate_limited',
			httpCode: '429',
			message:
				`The image host rate limited the download of ${shortUrl(facts.url)} (HTTP 429) ` +
				`until the row's Timeout ran out`,
			description:
				`This is the image host's limit, not UniAll's: its 429s are waited out for as long ` +
				`as the Timeout allows. Raise the Timeout option or lower Concurrency. ${recovery(facts)}`,
		};
	}
	if (status !== undefined && status >= 300 && status < 400) {
		return {
			reason: 'bad_response',
			httpCode: String(status),
			message:
				`The image host answered ${shortUrl(facts.url)} with HTTP ${status} ` +
				`and no address to follow`,
			description: recovery(facts),
		};
	}
	return mapApiFailure(failure, 'the image download');
}

/** A result image over the download cap. */
export function imageTooLarge(maxBytes: number): MappedError {
	return {
		reason: 'bad_response',
		message: `The generated image is larger than ${maxBytes / 1024 / 1024} MB and was not downloaded`,
		description: 'This limit protects the n8n instance from unexpected downloads.',
	};
}

/** An inline (base64) result image over the same cap. */
export function inlineImageTooLarge(maxBytes: number): MappedError {
	return {
		reason: 'bad_response',
		message:
			`UniAll returned an inline image larger than ${maxBytes / 1024 / 1024} MB; ` +
			`it was not stored`,
		description: 'This limit protects the n8n instance from unexpected data.',
	};
}

/** An inline (base64) result that is not a PNG, JPEG or WebP image (an HTML page, an SVG). */
export function inlineNotAnImage(declared: string | undefined, bytes: Uint8Array): MappedError {
	const label = declared ? ` (it was labelled "${declared.slice(0, 60)}")` : '';
	const looksLike = /^\s*</.test(Buffer.from(bytes.subarray(0, 64)).toString('latin1'))
		? ', it starts like markup (HTML, XML or SVG)'
		: '';
	return {
		reason: 'bad_response',
		message:
			`UniAll returned inline data that is not a PNG, JPEG or WebP image` +
			`${label}${looksLike}; it was not stored`,
		description: 'Only PNG, JPEG and WebP images are stored, to protect the workflow.',
	};
}

/** A result URL the node refuses to fetch (`refusal` says why, see checkResultUrl). */
export function resultUrlRefused(refusal: string): MappedError {
	return {
		reason: 'bad_response',
		message: refusal,
		description: 'The image was not downloaded, to protect the n8n instance.',
	};
}

/** A failure of storing an image that came with no words of its own. */
export function imageNotStored(cause: unknown, timeoutMs: number): MappedError {
	if (cause instanceof DeadlineError) {
		return {
			reason: 'timeout',
			message: `The image was not downloaded within the Timeout of ${timeoutMs / 1000} s`,
			description: 'Raise the Timeout option.',
		};
	}
	return {
		reason: 'bad_response',
		message:
			`The image could not be ` +
			`stored: ${cause instanceof Error ? cause.message : String(cause)}`,
		description: '',
	};
}

/** One image of a finished generation that was billed but not handed on. */
export interface LostImage {
	imageIndex: number;
	of: number;
	imageUrl?: string;
	cost: number;
	taskId?: string;
	/** Get Task's image: billed when it was generated, not by this run. */
	fetchedByGetTask?: boolean;
	/** The link is dead: fetching the task again would not help. */
	linkExpired?: boolean;
}

/** The words put around the cause of a lost image: which image, where it is, that it was billed. */
export function lostImage(
	lost: LostImage,
	cause: { message: string; description?: string | null },
): { message: string; description: string } {
	const which = lost.of > 1 ? `Image ${lost.imageIndex + 1} of ${lost.of} was not handed on: ` : '';
	const where = lost.imageUrl
		? `It is at ${lost.imageUrl} (UniAll's URLs may expire after about a day)`
		: 'It came inline, without a URL';
	const fetchAgain =
		lost.taskId && !lost.linkExpired
			? `, or fetch it again with the Get Task operation and Task ID "${lost.taskId}"`
			: '';
	const billed = lost.fetchedByGetTask
		? `The task's image was not handed on (Get Task bills nothing; it cost $${lost.cost} when generated).`
		: `The image was generated and billed ($${lost.cost}) but not handed on.`;
	return {
		message: `${which}${cause.message}`,
		description:
			`${billed} ${where}${fetchAgain}.` + (cause.description ? ` ${cause.description}` : ''),
	};
}

/** A row that lost several images, for when the node fails as a whole: every one with its words. */
export function lostImages(
	lost: Array<{ message: string; description?: string | null; reason?: unknown }>,
	total: number,
): MappedError {
	const [first] = lost;
	return {
		reason: (first.reason as MappedError['reason']) ?? 'bad_response',
		message:
			`${lost.length} of ${total} images were generated (and billed) ` +
			`but not handed on. ${first.message}`,
		description: lost.map((e) => `${e.message}: ${e.description ?? ''}`).join('\n'),
	};
}
