import type { IExecuteFunctions } from 'n8n-workflow';

import type { RequestFormat, RequestFormatOption } from '../helpers/contract';
import { FormatMemory } from '../helpers/formatMemory';
import { buildRequest, classifyRefusal } from '../helpers/requestFormat';
import type { GenerationRequestBody } from '../helpers/request';
import type { RunContext } from '../helpers/runContext';
import { apiFailureOf, apiRequest } from './api';

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
	/** The row's Idempotency-Key; a resend in the other format is another request and gets its own. */
	idempotencyKey: () => string;
}

/**
 * The paid POST of one row, in the request format the user chose. Under `auto` the first row sends
 * the UniAll body and, when UniAll refuses one of its fields (HTTP 400/422: no job, no charge),
 * resends once in the OpenAI-compatible format; the run remembers what worked.
 */
export async function submitGeneration(this: IExecuteFunctions, call: SubmitCall, run: RunContext): Promise<Submission> {
	const send = async (format: RequestFormat): Promise<Submission> => {
		// Built before sending: a row the format cannot express (4:5 at 4K in `openai`) fails here, unsent.
		const request = buildRequest(format, call.body);
		const key = call.idempotencyKey();
		const answer = await apiRequest.call(
			this,
			{
				method: 'POST',
				route: request.route,
				body: request.body,
				kind: 'submit',
				itemIndex: call.itemIndex,
				what: 'the generation request',
				headers: { 'Idempotency-Key': format === 'openai' ? `${key}-openai` : key },
				deadline: call.deadline,
			},
			run,
		);
		return { answer, format };
	};

	if (call.requestFormat !== 'auto') {
		try {
			return await send(call.requestFormat);
		} catch (error) {
			const hint = `Request Format is set to "${call.requestFormat}"; if UniAll speaks the other format, set Request Format to Auto.`;
			throw isFormatRefusal(error, call.requestFormat) ? withHint(error, hint) : error;
		}
	}

	const memory = (run.requestFormat ??= new FormatMemory());
	return await memory.run(send, async () => {
		let refusal: unknown;
		try {
			const submission = await send('uniall');
			memory.learn('uniall');
			return submission;
		} catch (error) {
			if (!isFormatRefusal(error)) throw error;
			refusal = error;
		}
		// UniAll refused a field of its own format: the OpenAI-compatible one is the only candidate left.
		try {
			const submission = await send('openai');
			memory.learn('openai');
			return submission;
		} catch (error) {
			if (!isFormatRefusal(error, 'openai')) {
				memory.learn('openai');
				throw error;
			}
			const first = refusal instanceof Error ? refusal.message : String(refusal);
			throw withHint(error, `UniAll refused the UniAll request format too: ${first}`);
		}
	});
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
