/**
 * When to try a call again, and how long to wait first. The creating POST is special: it is
 * repeated only when the failure proves no job was created, so nobody pays twice.
 */
export type CallKind = 'submit' | 'read';

/** Failures that prove the request never reached a server able to accept it. */
const NOT_SENT_CODES = new Set([
	'ECONNREFUSED',
	'ENOTFOUND',
	'EAI_AGAIN',
	'ENETUNREACH',
	'EHOSTUNREACH',
]);
/** Failures where a read (GET) can simply be asked again. */
const TRANSIENT_CODES = new Set([
	...NOT_SENT_CODES,
	'ECONNRESET',
	'ETIMEDOUT',
	'ECONNABORTED',
	'ESOCKETTIMEDOUT',
	'EPIPE',
	'ERR_SOCKET_CONNECTION_TIMEOUT',
	'UND_ERR_SOCKET',
]);

/**
 * Gateway answers that come after the request reached UniAll, so a job may exist: 502 and 504,
 * and Cloudflare's 520 (unknown error from the origin) and 524 (the origin took the request and
 * did not answer within 100 s, as a slow synchronous 4K generation can). A read is asked again; the
 * paid POST never is.
 */
export const ANSWER_LOST_STATUSES: readonly number[] = [502, 504, 520, 524];
/** Cloudflare could not reach the origin (522 connection timed out, 523 unreachable): not sent. */
const GATEWAY_NOT_SENT_STATUSES: readonly number[] = [522, 523];

/**
 * Server and network failures that may be retried, up to Max Retries. A 429 is listed because it
 * proves nothing was accepted; nextRetry() waits rate limits out instead of counting them.
 */
export function isRetryable(kind: CallKind, status?: number, networkCode?: string): boolean {
	if (status !== undefined) {
		if (status === 429 || status === 503 || GATEWAY_NOT_SENT_STATUSES.includes(status)) return true;
		return kind === 'read' && (status === 500 || ANSWER_LOST_STATUSES.includes(status));
	}
	if (!networkCode) return false;
	return kind === 'submit' ? NOT_SENT_CODES.has(networkCode) : TRANSIENT_CODES.has(networkCode);
}

export interface BackoffOptions {
	baseMs?: number;
	maxMs?: number;
	/** Returns [0, 1); injectable so tests are deterministic. */
	random?: () => number;
}

/**
 * Exponential backoff with "equal jitter" (half the exponential cap plus a random part of the other
 * half), so rows hitting a limit together do not all come back at once. Retry-After wins when sent.
 */
export function backoffDelayMs(
	attempt: number,
	retryAfterSeconds?: number,
	options: BackoffOptions = {},
): number {
	const { baseMs = 1000, maxMs = 30_000, random = Math.random } = options;
	if (
		retryAfterSeconds !== undefined &&
		Number.isFinite(retryAfterSeconds) &&
		retryAfterSeconds >= 0
	) {
		return Math.min(retryAfterSeconds * 1000, 5 * 60_000);
	}
	const cap = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt));
	return Math.round(cap / 2 + (random() * cap) / 2);
}

const MIN_RATE_LIMIT_WAIT_MS = 250;

/**
 * How long to wait after UniAll's `count`-th rate limit in a row (0-based) before the same request
 * is sent again, or undefined when that wait would pass the row's deadline. A 429 proves nothing
 * was accepted, so it is waited out however often it comes: the row's Timeout bounds it, not Max
 * Retries.
 */
export function rateLimitDelayMs(
	count: number,
	retryAfterSeconds: number | undefined,
	msLeft: number,
	options: BackoffOptions = {},
): number | undefined {
	// Never back at once: with no retry limit, `Retry-After: 0` must not turn into a tight loop.
	const delay = Math.max(MIN_RATE_LIMIT_WAIT_MS, backoffDelayMs(count, retryAfterSeconds, options));
	return delay < msLeft ? delay : undefined;
}

/** Retry-After is either delta-seconds or an HTTP date. */
export function parseRetryAfter(value: unknown, now = Date.now()): number | undefined {
	const text = Array.isArray(value) ? value[0] : value;
	if (typeof text === 'number') return text >= 0 ? text : undefined;
	if (typeof text !== 'string' || text.trim() === '') return undefined;
	if (/^\d+(\.\d+)?$/.test(text.trim())) return parseFloat(text);
	const date = Date.parse(text);
	return Number.isNaN(date) ? undefined : Math.max(0, (date - now) / 1000);
}

/** Where one call's retry loop stands: server/network errors retried, rate limits waited out. */
export interface RetryState {
	errors: number;
	rateLimits: number;
}

/** One failed attempt, as the retry policy sees it. */
export interface FailedAttempt {
	status?: number;
	networkCode?: string;
	retryAfterSeconds?: number;
	/** A 429 that is a rate limit (not, say, an exhausted balance, which waiting does not clear). */
	rateLimited: boolean;
}

/**
 * What to do after a failed attempt, or why to stop:
 * - `wait`: try again after `ms`; `everyRow` when the wait is the server's request to slow down
 *   (a rate limit, a Retry-After), so every row of the run waits, through the shared rate gate;
 * - `rate-limited`: still rate limited, and the next wait would pass the deadline;
 * - `give-up`: not retryable, Max Retries spent, or the backoff would pass the deadline.
 */
export type RetryStep =
	| { action: 'wait'; ms: number; everyRow: boolean }
	| { action: 'rate-limited' }
	| { action: 'give-up' };

/**
 * The one retry policy of every call the node makes, to UniAll's API and to image hosts. Rate
 * limits are waited out until the deadline however often they come (they prove nothing was
 * accepted); server and network errors are retried up to Max Retries, and only where that cannot
 * create a second paid job (isRetryable). Updates `state`.
 */
export function nextRetry(
	state: RetryState,
	failure: FailedAttempt,
	kind: CallKind,
	maxRetries: number,
	msLeft: number,
	options: BackoffOptions = {},
): RetryStep {
	if (failure.rateLimited) {
		const ms = rateLimitDelayMs(state.rateLimits++, failure.retryAfterSeconds, msLeft, options);
		return ms === undefined ? { action: 'rate-limited' } : { action: 'wait', ms, everyRow: true };
	}
	if (
		failure.status === 429 ||
		state.errors >= maxRetries ||
		!isRetryable(kind, failure.status, failure.networkCode)
	)
		return { action: 'give-up' };
	const ms = backoffDelayMs(state.errors++, failure.retryAfterSeconds, options);
	if (ms >= msLeft) return { action: 'give-up' };
	return { action: 'wait', ms, everyRow: failure.retryAfterSeconds !== undefined };
}

/**
 * Clock slack between an HTTP client's time limit (set
 * to what is left of the row) and the row's deadline.
 */
const DEADLINE_SLACK_MS = 1000;

/**
 * Whether a request that timed out was cut by the row's own Timeout: its time limit is what was
 * left of the row, so reaching it is the row's Timeout, and is worded as that.
 */
export function reachedDeadline(deadline: number, now = Date.now()): boolean {
	return now >= deadline - DEADLINE_SLACK_MS;
}
