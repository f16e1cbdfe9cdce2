import { createHash } from 'node:crypto';
import type { IExecuteFunctions } from 'n8n-workflow';

import {
	documentedSizeFor,
	type RequestFormat,
	type RequestFormatOption,
} from '../helpers/contract';
import { FORMAT_HINTS } from '../helpers/errors';
import type { GenerationRequestBody } from '../helpers/request';
import { buildRequest, classifyRefusal, refusedOutputField } from '../helpers/requestFormat';
import { requestFormats } from '../runState/formatMemory';
import type { RunContext } from '../runState/runContext';
import { apiRequest } from './api';
import { apiFailureOf } from './nodeErrors';

export interface Submission {
	/** UniAll's answer to the creating POST (images or a task). */
	answer: unknown;
	/** The request format UniAll accepted. */
	format: RequestFormat;
}

export interface SubmitCall {
	body: GenerationRequestBody;
	requestFormat: RequestFormatOption;
	itemIndex: number;
	deadline: number;
}

/**
 * The paid POST of one row, in the request format the user chose. Under `auto` the row sends the
 * format remembered for this Base URL, model and mode (the UniAll one while none is) at once, never waiting for
 * another row; if UniAll refuses one of that format's fields (HTTP 400/422: no job, no charge), the
 * row resends once in the other format, and the process remembers what worked.
 */
export async function submitGeneration(
	this: IExecuteFunctions,
	call: SubmitCall,
	run: RunContext,
): Promise<Submission> {
	const sent: RequestFormat[] = [];
	try {
		return await submitInFormat.call(this, call, run, sent);
	} catch (error) {
		throw explainOutputRefusal(error, call.body, sent);
	}
}

async function submitInFormat(
	this: IExecuteFunctions,
	call: SubmitCall,
	run: RunContext,
	sent: RequestFormat[],
): Promise<Submission> {
	const send = async (format: RequestFormat): Promise<Submission> => {
		// Built before sending: a row the format cannot
		// express (4:5 at 4K in `openai`) fails here, unsent.
		const request = buildRequest(format, call.body);
		sent.push(format);
		// The other format's body is another request: its own key, so a de-duplicating gateway
		// never replays the refusal of the first body to it. Retries of one request keep its key.
		const key = idempotencyKey(`${run.idempotencyScope}:${call.itemIndex}`, request.body);
		const answer = await apiRequest.call(
			this,
			{
				method: 'POST',
				route: request.route,
				body: request.body,
				kind: 'submit',
				itemIndex: call.itemIndex,
				what: 'the generation request',
				headers: { 'Idempotency-Key': key },
				deadline: call.deadline,
			},
			run,
		);
		return { answer, format };
	};

	if (call.requestFormat !== 'auto') {
		const pinned = await settle(send(call.requestFormat));
		if ('value' in pinned) return pinned.value;
		throw isFormatRefusal(pinned.error, call.requestFormat)
			? withHint(pinned.error, FORMAT_HINTS.pinned(call.requestFormat))
			: pinned.error;
	}

	const endpoint = formatMemoryKey(run.baseUrl, call.body);
	const first = requestFormats.firstChoice(endpoint);
	const tried = await settle(send(first));
	if ('value' in tried) {
		requestFormats.learn(endpoint, first);
		return tried.value;
	}
	// An output field refused in one body may be known to the other (UniAll's page documents
	// output_format for the OpenAI-compatible one); a 400 created no job, so resending bills nothing.
	const outputRefused = isOutputRefusal(tried.error, call.body);
	if (!isFormatRefusal(tried.error, first) && !outputRefused) throw tried.error;
	const { aspect_ratio: ratio, resolution } = call.body;
	const canSendOpenAi = documentedSizeFor(ratio, resolution) !== undefined;
	if (outputRefused && first === 'uniall' && !canSendOpenAi) throw tried.error;
	// Refused for its fields: the other format is the only candidate left, for this row and for
	// every row that starts from now on. An output option refused says nothing about the format:
	// the other body is tried, and only an accepted one teaches.
	const other = outputRefused ? otherFormat(first) : requestFormats.refused(endpoint, first);
	if (other === 'openai' && !canSendOpenAi) {
		// Reported as UniAll's refusal: something was sent, so "nothing was sent" would be wrong.
		throw withHint(tried.error, FORMAT_HINTS.noOpenAiSize(ratio, resolution));
	}
	const second = await settle(send(other));
	if ('value' in second) {
		requestFormats.learn(endpoint, other);
		return second.value;
	}
	// The first body's output refusal is the story when the second was refused for its format.
	if (outputRefused) throw isFormatRefusal(second.error, other) ? tried.error : second.error;
	if (!isFormatRefusal(second.error, other)) throw second.error;
	// Neither format is accepted: nothing learned, the next row tries again.
	requestFormats.forget(endpoint, other);
	const [uniAllRefusal, openAiRefusal] =
		first === 'uniall' ? [tried.error, second.error] : [second.error, tried.error];
	const refused = uniAllRefusal instanceof Error ? uniAllRefusal.message : String(uniAllRefusal);
	throw withHint(openAiRefusal, FORMAT_HINTS.bothRefused(refused));
}

/**
 * The Idempotency-Key of one submission: a hash of where it comes from (execution, node, run of
 * the node, row) and of exactly what it asks for (the request body). So:
 * - a resend of the same request (after a 429, a 503 or a refused connection) repeats the key;
 * - every other submission gets its own: another row, another run of the node in the same
 *   execution (Loop Over Items batches, AI Agent tool calls have their own run index), another
 *   body (a changed prompt, the other request format);
 * - n8n running the same execution again (a queue job picked up anew, a node's Retry On Fail)
 *   repeats the key, so a gateway that honours keys answers the job it already made instead of
 *   billing a second one.
 */
export function idempotencyKey(scope: string, body: Record<string, unknown>): string {
	const hash = createHash('sha256').update(scope);
	// Field by field, so multi-megabyte data: URLs are hashed without building one more copy.
	for (const field of Object.keys(body).sort()) {
		const value = body[field];
		hash.update(`\0${field}\0`);
		if (Array.isArray(value))
			for (const entry of value)
				hash.update(`${typeof entry === 'string' ? entry : JSON.stringify(entry)}\0`);
		else hash.update(typeof value === 'string' ? value : JSON.stringify(value ?? null));
	}
	return `n8n-uniall-${hash.digest('hex').slice(0, 40)}`;
}

const otherFormat = (format: RequestFormat): RequestFormat =>
	format === 'uniall' ? 'openai' : 'uniall';

/**
 * What Auto remembers a format for: the Base URL, the model (UniAll documents that `gpt-image-2`
 * takes `size`, not `aspect_ratio`) and the route (Image to Image's OpenAI-compatible body goes to
 * the edits endpoint).
 */
export function formatMemoryKey(baseUrl: string, body: GenerationRequestBody): string {
	return `${baseUrl} ${body.model} ${body.generation_mode}`;
}

/** A promise's outcome as a value, so failures can be looked at before deciding what to throw. */
async function settle<T>(promise: Promise<T>): Promise<{ value: T } | { error: unknown }> {
	try {
		return { value: await promise };
	} catch (error) {
		return { error };
	}
}

function isOutputRefusal(error: unknown, body: GenerationRequestBody): boolean {
	const failure = apiFailureOf(error);
	return failure !== undefined && refusedOutputField(failure, body) !== undefined;
}

/** A refusal of an output option (OUTPUT_FIELDS) names the option and says how to do without it. */
function explainOutputRefusal(
	error: unknown,
	body: GenerationRequestBody,
	sent: RequestFormat[],
): unknown {
	const failure = apiFailureOf(error);
	const field = failure && refusedOutputField(failure, body);
	if (!field) return error;
	const formats = [...new Set(sent)].map((f) => (f === 'openai' ? 'OpenAI-compatible' : 'UniAll'));
	return withHint(error, FORMAT_HINTS.outputOptionRefused(field, body[field], formats));
}

function isFormatRefusal(error: unknown, sent: RequestFormat = 'uniall'): boolean {
	const failure = apiFailureOf(error);
	return failure !== undefined && classifyRefusal(failure, sent) === 'format';
}

/** Adds a sentence to the description of an error. */
function withHint(error: unknown, hint: string): unknown {
	const described = error as { description?: string | null };
	described.description = described.description ? `${described.description} ${hint}` : hint;
	return error;
}
