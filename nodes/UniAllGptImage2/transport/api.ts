import { NodeApiError, type IDataObject, type IExecuteFunctions, type JsonObject } from 'n8n-workflow';

import { CREDENTIAL_NAME } from '../helpers/contract';
import { joinUrl } from '../helpers/urls';
import { apiErrorDetails, mapApiFailure, type ApiFailure, type MappedError } from '../helpers/errors';
import { CancelledError, pause } from '../helpers/pause';
import { backoffDelayMs, isRetryable, parseRetryAfter, rateLimitDelayMs, type CallKind } from '../helpers/retry';
import type { RunContext } from '../helpers/runContext';

export interface ApiCall {
	method: 'GET' | 'POST';
	route: string;
	body?: IDataObject;
	/** 'submit' creates a paid job and is only repeated when no job can have been created. */
	kind: CallKind;
	itemIndex: number;
	/** Words for messages: "the generation request", "task task_123". */
	what: string;
	headers?: Record<string, string>;
	/** Epoch ms by which the whole row must be done. */
	deadline: number;
}

/**
 * An API failure in user words. It is built from our own summary of the failure (status, code,
 * reason), never from the HTTP client's error, which carries request headers and so the key.
 */
export function uniallApiError(
	ctx: IExecuteFunctions,
	mapped: MappedError,
	itemIndex: number,
	failure: ApiFailure = {},
): NodeApiError {
	const response: JsonObject = { message: mapped.message, errorReason: mapped.reason };
	if (failure.status !== undefined) response.httpCode = failure.status;
	// Not under `code`: n8n would swap our message for its generic text for socket error codes.
	if (failure.networkCode) response.networkCode = failure.networkCode;
	const error = new NodeApiError(ctx.getNode(), response, {
		message: mapped.message,
		description: mapped.description,
		httpCode: mapped.httpCode,
		itemIndex,
	});
	error.context.reason = mapped.reason;
	failures.set(error, failure);
	return error;
}

/** What UniAll answered, kept beside (not inside) the error so it is never serialised into output. */
const failures = new WeakMap<Error, ApiFailure>();

/** The HTTP status and body behind an error from uniallApiError(), e.g. to read a 400's reason. */
export function apiFailureOf(error: unknown): ApiFailure | undefined {
	return error instanceof Error ? failures.get(error) : undefined;
}

export class DeadlineError extends Error {
	constructor() {
		super('deadline passed');
		this.name = 'DeadlineError';
	}
}

/**
 * The one place that talks to UniAll's API. Adds the credential, retries what is safe to retry
 * through the run's shared rate gate, and turns every failure into a UniAllApiError. The raw
 * HTTP error is never rethrown: it carries request headers, and with them the API key.
 *
 * A rate limit (429) proves the request was not accepted, so it is waited out (all rows together,
 * honouring Retry-After) until the row's deadline, however often it comes; Max Retries bounds
 * server and network errors only. A resend is the same call, so it carries the same headers and
 * with them the same Idempotency-Key.
 */
export async function apiRequest(this: IExecuteFunctions, call: ApiCall, run: RunContext): Promise<unknown> {
	let errorRetries = 0;
	let rateLimits = 0;
	let rateLimited: ApiFailure | undefined;
	for (;;) {
		// A submission still held back by a rate limit when time is up was never accepted: say so
		// (a read, e.g. polling, times out as usual: its task exists and can be fetched later).
		const deadlineError = (): Error => {
			if (call.kind !== 'submit' || (!rateLimited && run.gate.remainingMs() === 0)) return new DeadlineError();
			const failure = rateLimited ?? { status: 429 };
			return uniallApiError(this, rateLimitedUntilTimeout(call.what, failure), call.itemIndex, failure);
		};
		await waitForGate(run, call.deadline, deadlineError);
		const remaining = call.deadline - Date.now();
		if (remaining <= 0) throw deadlineError();
		rateLimited = undefined;

		let failure: ApiFailure | undefined;
		let cancelled = false;
		try {
			const response = (await this.helpers.httpRequestWithAuthentication.call(this, CREDENTIAL_NAME, {
				method: call.method,
				url: joinUrl(run.baseUrl, call.route),
				body: call.body,
				json: true,
				headers: { Accept: 'application/json', ...call.headers },
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				// A redirect would carry the key to another address: stop and say so instead.
				disableFollowRedirect: true,
				sendCredentialsOnCrossOriginRedirect: false,
				timeout: remaining,
			})) as { body: unknown; headers: Record<string, unknown>; statusCode: number };
			if (response.statusCode >= 200 && response.statusCode < 300) return response.body;
			failure = {
				status: response.statusCode,
				body: response.body,
				retryAfterSeconds: parseRetryAfter(response.headers?.['retry-after']),
			};
		} catch (error) {
			cancelled = run.signal?.aborted === true || isCancel(error);
			failure = { networkCode: networkCodeOf(error) };
		}
		if (cancelled) throw new CancelledError();

		const mapped = mapApiFailure(failure, call.what);
		if (isRateLimit(failure, mapped)) {
			const delay = rateLimitDelayMs(rateLimits++, failure.retryAfterSeconds, call.deadline - Date.now());
			rateLimited = failure;
			if (delay === undefined) throw deadlineError();
			// A rate limit slows every row of the run down, not only this one.
			run.gate.pauseFor(delay);
			continue;
		}

		// A 429 that is not a rate limit (an exhausted balance) does not clear by asking again.
		const retry = failure.status !== 429 && errorRetries < run.maxRetries && isRetryable(call.kind, failure.status, failure.networkCode);
		if (!retry) throw uniallApiError(this, mapped, call.itemIndex, failure);

		const delay = backoffDelayMs(errorRetries++, failure.retryAfterSeconds);
		if (Date.now() + delay >= call.deadline) throw uniallApiError(this, mapped, call.itemIndex, failure);
		if (failure.retryAfterSeconds !== undefined) run.gate.pauseFor(delay);
		else await pause(Math.min(delay, Math.max(0, call.deadline - Date.now())), run.signal);
	}
}

function rateLimitedUntilTimeout(what: string, failure: ApiFailure): MappedError {
	const said = apiErrorDetails(failure.body).message;
	return {
		reason: 'rate_limited',
		httpCode: '429',
		message: `UniAll was still rate limiting ${what} (HTTP 429) when the row's Timeout ran out`,
		description:
			'A rate limit means UniAll accepted nothing, so nothing is billed. The node waited (all rows together, honouring Retry-After) ' +
			'and resent the same request until the Timeout. Raise the Timeout option, lower the Concurrency option, or run the workflow later.' +
			(said ? ` UniAll said: "${said}"` : ''),
	};
}

/** A 429 that is a rate limit; a 429 that says the balance is exhausted will not clear by waiting. */
function isRateLimit(failure: ApiFailure, mapped: MappedError): boolean {
	return failure.status === 429 && mapped.reason === 'rate_limited';
}

async function waitForGate(run: RunContext, deadline: number, deadlineError: () => Error): Promise<void> {
	for (let wait = run.gate.remainingMs(); wait > 0; wait = run.gate.remainingMs()) {
		if (Date.now() + wait > deadline) throw deadlineError();
		await pause(wait, run.signal);
	}
}

function isCancel(error: unknown): boolean {
	const chain = errorChain(error);
	return chain.some((e) => e.code === 'ERR_CANCELED' || e.name === 'CanceledError' || e.name === 'AbortError');
}

export function networkCodeOf(error: unknown): string | undefined {
	for (const e of errorChain(error)) {
		if (typeof e.code === 'string' && /^[A-Z][A-Z_]+$/.test(e.code)) return e.code;
		// n8n's NodeApiError keeps the socket error code in httpCode and drops the cause.
		if (typeof e.httpCode === 'string' && /^E[A-Z_]+$/.test(e.httpCode)) return e.httpCode;
	}
	for (const e of errorChain(error)) {
		const match = typeof e.message === 'string' ? /\b(E[A-Z]{3,}[A-Z_]*)\b/.exec(e.message) : null;
		if (match) return match[1];
		if (typeof e.message === 'string' && /timeout/i.test(e.message)) return 'ETIMEDOUT';
		if (typeof e.message === 'string' && /socket hang up/i.test(e.message)) return 'ECONNRESET';
	}
	return undefined;
}

function errorChain(error: unknown): Array<{ code?: unknown; name?: unknown; message?: unknown; httpCode?: unknown }> {
	const chain = [];
	let current = error as { code?: unknown; name?: unknown; message?: unknown; httpCode?: unknown; cause?: unknown } | undefined;
	for (let depth = 0; current && typeof current === 'object' && depth < 5; depth++) {
		chain.push(current);
		current = current.cause as typeof current;
	}
	return chain;
}
