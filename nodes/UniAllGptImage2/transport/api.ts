import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { CREDENTIAL_NAME } from '../helpers/contract';
import {
	CancelledError,
	DeadlineError,
	mapApiFailure,
	rateLimitedUntilTimeout,
	type ApiFailure,
	type MappedError,
} from '../helpers/errors';
import { nextRetry, parseRetryAfter, type CallKind, type RetryState } from '../helpers/retry';
import { joinUrl } from '../helpers/urls';
import { backOff, waitForGate } from '../runState/pause';
import type { RunContext } from '../runState/runContext';
import { uniallApiError } from './nodeErrors';

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
 * The one place that talks to UniAll's API. Adds the credential, retries what is safe to retry
 * (the retry policy, nextRetry) through the run's shared rate gate, and turns every failure into
 * an n8n error in the catalogue's words. The raw HTTP error is never rethrown: it carries request
 * headers, and with them the API key.
 *
 * A rate limit (429) proves the request was not accepted, so it is waited out (all rows together,
 * honouring Retry-After) until the row's deadline, however often it comes; Max Retries bounds
 * server and network errors only. A resend is the same call, so it carries the same headers and
 * with them the same Idempotency-Key.
 */
export async function apiRequest(
	this: IExecuteFunctions,
	call: ApiCall,
	run: RunContext,
): Promise<unknown> {
	const retries: RetryState = { errors: 0, rateLimits: 0 };
	let rateLimited: ApiFailure | undefined;
	for (;;) {
		// A submission still held back by a rate limit when time is up was never accepted: say so
		// (a read, e.g. polling, times out as usual: its task exists and can be fetched later).
		const deadlineError = (): Error => {
			if (call.kind !== 'submit' || (!rateLimited && run.gate.remainingMs() === 0))
				return new DeadlineError();
			const failure = rateLimited ?? { status: 429 };
			return uniallApiError(
				this,
				rateLimitedUntilTimeout(call.what, failure),
				call.itemIndex,
				failure,
			);
		};
		await waitForGate(run, call.deadline, deadlineError);
		const remaining = call.deadline - Date.now();
		if (remaining <= 0) throw deadlineError();
		rateLimited = undefined;

		let failure: ApiFailure | undefined;
		let cancelled = false;
		try {
			const response = (await this.helpers.httpRequestWithAuthentication.call(
				this,
				CREDENTIAL_NAME,
				{
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
				},
			)) as { body: unknown; headers: Record<string, unknown>; statusCode: number };
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
		const rateLimit = isRateLimit(failure, mapped);
		const step = nextRetry(
			retries,
			{ ...failure, rateLimited: rateLimit },
			call.kind,
			run.maxRetries,
			call.deadline - Date.now(),
		);
		if (rateLimit) rateLimited = failure;
		if (step.action === 'rate-limited') throw deadlineError();
		if (step.action === 'give-up') throw uniallApiError(this, mapped, call.itemIndex, failure);
		await backOff(run, step);
	}
}

/**
 * A 429 that is a rate limit; a 429 that says the balance is exhausted will not clear by waiting.
 */
function isRateLimit(failure: ApiFailure, mapped: MappedError): boolean {
	return failure.status === 429 && mapped.reason === 'rate_limited';
}

function isCancel(error: unknown): boolean {
	const chain = errorChain(error);
	return chain.some(
		(e) => e.code === 'ERR_CANCELED' || e.name === 'CanceledError' || e.name === 'AbortError',
	);
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

function errorChain(
	error: unknown,
): Array<{ code?: unknown; name?: unknown; message?: unknown; httpCode?: unknown }> {
	const chain = [];
	let current = error as
		| { code?: unknown; name?: unknown; message?: unknown; httpCode?: unknown; cause?: unknown }
		| undefined;
	for (let depth = 0; current && typeof current === 'object' && depth < 5; depth++) {
		chain.push(current);
		current = current.cause as typeof current;
	}
	return chain;
}
