import { NodeApiError, type IDataObject, type IExecuteFunctions, type JsonObject } from 'n8n-workflow';

import { CREDENTIAL_NAME } from '../helpers/contract';
import { joinUrl } from '../helpers/urls';
import { mapApiFailure, type ApiFailure, type MappedError } from '../helpers/errors';
import { CancelledError, pause } from '../helpers/pause';
import { backoffDelayMs, isRetryable, parseRetryAfter, type CallKind } from '../helpers/retry';
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
 */
export async function apiRequest(this: IExecuteFunctions, call: ApiCall, run: RunContext): Promise<unknown> {
	for (let attempt = 0; ; attempt++) {
		await waitForGate(run, call.deadline);
		const remaining = call.deadline - Date.now();
		if (remaining <= 0) throw new DeadlineError();

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

		const retry = attempt < run.maxRetries && isRetryable(call.kind, failure.status, failure.networkCode);
		if (!retry) throw uniallApiError(this, mapApiFailure(failure, call.what), call.itemIndex, failure);

		const delay = backoffDelayMs(attempt, failure.retryAfterSeconds);
		if (Date.now() + delay >= call.deadline) {
			throw uniallApiError(this, mapApiFailure(failure, call.what), call.itemIndex, failure);
		}
		// A rate limit slows every row of the run down, not only this one.
		if (failure.status === 429 || failure.retryAfterSeconds !== undefined) run.gate.pauseFor(delay);
		else await pause(Math.min(delay, Math.max(0, call.deadline - Date.now())), run.signal);
	}
}

async function waitForGate(run: RunContext, deadline: number): Promise<void> {
	for (let wait = run.gate.remainingMs(); wait > 0; wait = run.gate.remainingMs()) {
		if (Date.now() + wait > deadline) throw new DeadlineError();
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
