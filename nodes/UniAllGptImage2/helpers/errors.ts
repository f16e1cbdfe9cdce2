/**
 * Turns what UniAll answered into words a non-developer can act on. Pure: the n8n layer wraps the
 * result in a NodeApiError. Nothing here ever sees the API key.
 */
import { shortUrl } from './urls';

export interface ApiFailure {
	/** HTTP status, or undefined for network errors. */
	status?: number;
	/** Parsed error body, if any. */
	body?: unknown;
	/** Node/axios network error code (ECONNRESET, ETIMEDOUT, …). */
	networkCode?: string;
	/** Seconds, when the API sent Retry-After. */
	retryAfterSeconds?: number;
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
		| 'download_refused';
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export function apiErrorDetails(body: unknown): { message?: string; code?: string; type?: string; param?: string } {
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
	const pick = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : typeof v === 'number' ? String(v) : undefined);
	return {
		message: pick(error.message) ?? pick(body.message) ?? (typeof body.error === 'string' ? body.error : undefined),
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
		const timeout = networkCode === 'ETIMEDOUT' || networkCode === 'ECONNABORTED' || networkCode === 'ESOCKETTIMEDOUT';
		// Socket codes stay out of the message: n8n replaces messages that contain them with generic text.
		return {
			reason: timeout ? 'timeout' : 'network',
			message: timeout ? `UniAll did not answer ${what} in time` : `Could not reach UniAll for ${what}: ${networkWords(networkCode)}`,
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
				'The API key is never sent to another address. Set the Base URL in the UniAll AI API credential to the address the API really lives at.',
		};
	}
	if (status === 401) {
		return {
			reason: 'unauthorized',
			httpCode,
			message: 'UniAll rejected the API key (HTTP 401)',
			description: 'Check the API key in the UniAll AI API credential: it may be mistyped, revoked or for another environment.',
		};
	}
	if (status === 402 || ((status === 403 || status === 429) && QUOTA.test(text) && !/rate/i.test(details.code ?? ''))) {
		return {
			reason: 'insufficient_balance',
			httpCode,
			message: `Your UniAll balance is exhausted (HTTP ${status})`,
			description: `Top up the UniAll account this API key belongs to, then run the workflow again.${said}`,
		};
	}
	if (status === 403) {
		return {
			reason: 'forbidden',
			httpCode,
			message: 'This UniAll API key may not use this model (HTTP 403)',
			description: `Enable the model for this key in the UniAll dashboard, or check the Model option.${said}`,
		};
	}
	if (status === 400 && POLICY.test(text)) {
		return {
			reason: 'content_policy',
			httpCode,
			message: "The prompt was rejected by UniAll's content policy",
			description: `Rephrase the prompt (or change the reference images) and try again. This is not retried.${said}`,
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
			description: `Lower the Concurrency option, raise Max Retries, or run the workflow later.${said}`,
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

// ---------------------------------------------------------------------------------------------
// Image downloads. They go to the image host with no API key, after the image was generated and
// billed, so their words name the host (not UniAll, not the key) and say how to get the image.

/** What the node knows about the image being downloaded, for the words of a failure. */
export interface DownloadFacts {
	url: string;
	taskId?: string;
	timeoutMs?: number;
}

const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ECONNABORTED', 'ESOCKETTIMEDOUT']);

/** How to get a billed image the node could not hand on. */
function recovery(facts: DownloadFacts): string {
	const task = facts.taskId ? `, or fetch the task again with the Get Task operation and Task ID "${facts.taskId}"` : '';
	return `The image was generated (and billed) but not stored. Download it from ${shortUrl(facts.url)} while that link lasts${task}.`;
}

/** A download that did not finish by the row's deadline: the same words as every other timeout. */
export function downloadTimeout(facts: DownloadFacts): MappedError {
	const within = facts.timeoutMs !== undefined ? ` within ${facts.timeoutMs / 1000} s` : ' in time';
	return {
		reason: 'timeout',
		message: `The image download did not finish${within}${facts.taskId ? ` (task ${facts.taskId})` : ''}`,
		description: `${recovery(facts)} Raise the Timeout option if the image host is slow.`,
	};
}

/** A download whose connection broke after the image had started to arrive. */
export function downloadInterrupted(facts: DownloadFacts, networkCode?: string): MappedError {
	return {
		reason: 'network',
		message: `The image download from ${shortUrl(facts.url)} was interrupted: ${networkWords(networkCode)}`,
		description: `${recovery(facts)}${networkCode ? ` (Network error code: ${networkCode}.)` : ''}`,
	};
}

/** The host answered something that is not a PNG, JPEG or WebP image. Nothing was stored. */
export function notAnImage(facts: DownloadFacts, contentType?: string): MappedError {
	const declared = contentType ? ` (it was labelled "${contentType.slice(0, 60)}")` : '';
	return {
		reason: 'bad_response',
		message: `The image host answered ${shortUrl(facts.url)} with data that is not a PNG, JPEG or WebP image${declared}; it was not stored`,
		description: `Nothing from that address was handed on, to protect the workflow. ${recovery(facts)}`,
	};
}

/** A redirect the node does not follow: to a refused address (`refusal` says why), or one hop too many. */
export function refusedRedirect(facts: DownloadFacts, refusal: string): MappedError {
	return { reason: 'bad_response', message: refusal, description: `${recovery(facts)} Redirects are checked hop by hop, to protect the n8n instance.` };
}

export function tooManyRedirects(facts: DownloadFacts, maxHops: number): MappedError {
	return refusedRedirect(facts, `The image host redirected ${shortUrl(facts.url)} more than ${maxHops} times; it was not downloaded`);
}

/**
 * An HTTP or network failure of a download. No API key is sent to image hosts, so a 401/403 is
 * the host refusing (an expired or signed link), never a problem with the UniAll credential.
 */
export function mapDownloadFailure(failure: ApiFailure, facts: DownloadFacts): MappedError {
	const { status, networkCode } = failure;
	if (status === undefined && networkCode && TIMEOUT_CODES.has(networkCode)) return downloadTimeout(facts);
	if (status === 401 || status === 403) {
		return {
			reason: 'download_refused',
			httpCode: String(status),
			message: `The image host refused the download of ${shortUrl(facts.url)} (HTTP ${status})`,
			description: `No API key is sent to image hosts, so this is not about the UniAll credential: the link may have expired. ${recovery(facts)}`,
		};
	}
	if (status !== undefined && status >= 300 && status < 400) {
		return {
			reason: 'bad_response',
			httpCode: String(status),
			message: `The image host answered ${shortUrl(facts.url)} with HTTP ${status} and no address to follow`,
			description: recovery(facts),
		};
	}
	return mapApiFailure(failure, 'the image download');
}
