import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { CREDENTIAL_NAME, MAX_API_ANSWER_BYTES } from '../helpers/contract';
import {
	CancelledError,
	DeadlineError,
	mapApiFailure,
	rateLimitedUntilTimeout,
	unreadableAnswer,
	type ApiFailure,
	type MappedError,
} from '../helpers/errors';
import { nextRetry, parseRetryAfter, type CallKind, type RetryState } from '../helpers/retry';
import { joinUrl } from '../helpers/urls';
import { backOff, waitForGate } from '../runState/pause';
import type { RunContext } from '../runState/runContext';
import { readBounded, untilDeadline, type Readable } from './bounded';
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
			if (call.kind !== 'submit' || (!rateLimited && run.gates.api.remainingMs() === 0))
				return new DeadlineError();
			const failure = rateLimited ?? { status: 429 };
			return uniallApiError(
				this,
				rateLimitedUntilTimeout(call.what, failure, call.deadline - Date.now()),
				call.itemIndex,
				failure,
			);
		};
		await waitForGate(run, run.gates.api, call.deadline, deadlineError);
		const remaining = call.deadline - Date.now();
		if (remaining <= 0) throw deadlineError();
		rateLimited = undefined;

		const answer = await send.call(this, call, run, remaining);
		if ('cancelled' in answer) throw new CancelledError(call.kind === 'submit');
		if ('unreadable' in answer) throw unreadableError(this, call, answer.failure, answer.taskId);
		if ('body' in answer) return answer.body;
		const failure = answer.failure;

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
		await backOff(run, run.gates.api, step);
	}
}

type Sent =
	| { body: unknown }
	| { failure: ApiFailure }
	| { unreadable: true; failure: ApiFailure; taskId?: string }
	| { cancelled: true };

/**
 * One HTTP exchange, ended at the row's deadline whatever the server sends (see untilDeadline);
 * the answer is read as a stream and parsed here, so its decompressed size is capped while it
 * arrives. A 2xx answer that cannot be read as JSON is `unreadable`: for a paid POST, UniAll may
 * have accepted the job.
 */
async function send(
	this: IExecuteFunctions,
	call: ApiCall,
	run: RunContext,
	remaining: number,
): Promise<Sent> {
	const request = this.helpers.httpRequestWithAuthentication.call(this, CREDENTIAL_NAME, {
		method: call.method,
		url: joinUrl(run.baseUrl, call.route),
		body: call.body,
		json: true,
		headers: { Accept: 'application/json', ...call.headers },
		encoding: 'stream',
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		// A redirect would carry the key to another address: stop and say so instead.
		disableFollowRedirect: true,
		sendCredentialsOnCrossOriginRedirect: false,
		timeout: remaining,
	}) as Promise<{ body: Readable; headers: Record<string, unknown>; statusCode: number }>;
	const started = await untilDeadline(request, call.deadline, run.signal);
	// An answer that arrives after the row gave up on it is dropped, not left to hold its socket.
	if (!('value' in started))
		request.then(
			(late) => late.body.destroy(),
			() => {},
		);
	if ('timeout' in started) return { failure: { networkCode: 'ETIMEDOUT' } };
	if ('cancelled' in started) return { cancelled: true };
	if ('error' in started) {
		if (run.signal?.aborted === true || isCancel(started.error)) return { cancelled: true };
		return { failure: { networkCode: networkCodeOf(started.error) } };
	}
	const response = started.value;
	const status = response.statusCode;
	const ok = status >= 200 && status < 300;
	const read = await readBounded(response.body, MAX_API_ANSWER_BYTES, call.deadline, run.signal);
	if ('cancelled' in read) return { cancelled: true };
	if ('timeout' in read) return { failure: { networkCode: 'ETIMEDOUT' } };
	if ('tooLarge' in read) return { unreadable: true, failure: { status, tooLarge: true } };
	if ('error' in read) {
		if (run.signal?.aborted === true) return { cancelled: true };
		return { failure: { networkCode: networkCodeOf(read.error) ?? 'ECONNRESET' } };
	}
	const text = read.body.toString('utf8');
	const parsed = parseJson(text);
	if (ok && (parsed === undefined || typeof parsed !== 'object' || parsed === null))
		return {
			unreadable: true,
			failure: { status, body: text.slice(0, 300) },
			taskId: taskIdIn(text),
		};
	if (ok) return { body: parsed };
	return {
		failure: {
			status,
			body: parsed ?? text,
			retryAfterSeconds: parseRetryAfter(response.headers?.['retry-after']),
		},
	};
}

function parseJson(text: string): unknown {
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return undefined;
	}
}

/** A task id readable from a cut-off answer, e.g. `{"task_id":"task_1","status":"que`. */
function taskIdIn(fragment: string): string | undefined {
	return /"(?:task_id|taskId|id)"\s*:\s*"([^"\\]{1,200})"/.exec(fragment)?.[1];
}

/** A 2xx answer the node could not read: never resent, and its task id (if any) named. */
function unreadableError(
	ctx: IExecuteFunctions,
	call: ApiCall,
	failure: ApiFailure,
	taskId: string | undefined,
): Error {
	const error = uniallApiError(
		ctx,
		unreadableAnswer(call.what, failure, taskId),
		call.itemIndex,
		failure,
	);
	if (taskId) error.context.taskId = taskId;
	return error;
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
