import { NodeApiError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { submitMayHaveCreatedJob, type Reservation } from '../helpers/budget';
import type { GenerationOperation } from '../helpers/contract';
import { deliverImages, PartialDeliveryError } from '../helpers/deliver';
import { idempotencyKey } from '../helpers/idempotency';
import { normaliseGenerationAnswer } from '../helpers/normalise';
import { readRowOptions } from '../helpers/options';
import { requestCost } from '../helpers/pricing';
import { resolveReferenceImages } from '../helpers/referenceImages';
import { buildGenerationBody, type GenerationRequestBody } from '../helpers/request';
import type { RowSummary } from '../helpers/output';
import type { RunContext } from '../helpers/runContext';
import { DeadlineError, uniallApiError } from '../transport/api';
import { pollTask, taskFailedError } from '../transport/poll';
import { submitGeneration } from '../transport/submit';

/**
 * Text to Image and Image to Image share this flow: validate, reserve budget, submit once,
 * wait (or not), deliver. Everything that can be checked is checked before the paid POST.
 */
export async function generate(
	this: IExecuteFunctions,
	itemIndex: number,
	run: RunContext,
	operation: GenerationOperation,
): Promise<INodeExecutionData[]> {
	const options = readRowOptions(this.getNodeParameter('options', itemIndex, {}) as Record<string, unknown>);
	const imageUrls = operation === 'imageToImage' ? await resolveReferenceImages.call(this, itemIndex) : undefined;
	const body = buildGenerationBody({
		operation,
		prompt: this.getNodeParameter('prompt', itemIndex),
		aspectRatio: this.getNodeParameter('aspectRatio', itemIndex),
		resolution: this.getNodeParameter('resolution', itemIndex),
		numImages: this.getNodeParameter('numImages', itemIndex),
		model: options.model,
		imageUrls,
	});
	const estimate = requestCost(body.resolution, body.num_images);
	const reservation = run.budget.reserve(estimate);
	const deadline = Date.now() + options.timeoutMs;
	const row: Omit<RowSummary, 'imagesDelivered' | 'requestCost'> = {
		model: body.model,
		operation,
		prompt: body.prompt,
		aspectRatio: body.aspect_ratio,
		resolution: body.resolution,
		imagesRequested: body.num_images,
	};

	let taskId: string | undefined;
	// Set once UniAll answered the POST: from then on a job exists and may be billed.
	let accepted = false;
	// Once images exist they are billed, even if storing them fails afterwards.
	let billed: number | undefined;
	let items: INodeExecutionData[] | undefined;
	let failure: unknown;
	try {
		// The one paid call: everything before it is checked, nothing after it resends it.
		const submission = await submitGeneration.call(
			this,
			{
				body,
				requestFormat: options.requestFormat,
				itemIndex,
				deadline,
				idempotencyKey: (sent) => idempotencyKey(`${run.idempotencyScope}:${itemIndex}`, sent),
			},
			run,
		);
		accepted = true;
		row.requestFormat = submission.format;
		const answer = normaliseGenerationAnswer(submission.answer);
		taskId = answer.taskId;
		if (answer.kind === 'task' && !options.waitForCompletion) {
			// Not delivered yet, but it will be billed when it is: count the estimate as spent.
			const spent = reservation.settle(estimate);
			const item = submittedItem(itemIndex, body, answer.taskId, answer.status, answer.progress, estimate, spent);
			item.json.requestFormat = submission.format;
			return [item];
		}
		const result =
			answer.kind === 'task'
				? await pollTask.call(this, answer.taskId, itemIndex, run, { intervalMs: options.pollIntervalMs, deadline })
				: answer;
		if ('state' in result && result.state === 'failed') {
			reservation.release();
			throw taskFailedError(this, String(taskId), result, itemIndex);
		}
		if (result.images.length === 0) {
			reservation.release();
			throw uniallApiError(
				this,
				{
					reason: 'bad_response',
					message: 'UniAll finished the generation but returned no images',
					description: `Nothing was delivered, so nothing is billed.${taskId ? ` Task ${taskId}.` : ''}`,
				},
				itemIndex,
			);
		}
		billed = requestCost(body.resolution, result.images.length);
		items = await deliverImages.call(
			this,
			itemIndex,
			run,
			options,
			{ ...row, taskId },
			result.images,
			deadline,
			result.reportedCost,
		);
	} catch (error) {
		failure = error;
	}

	if (items) {
		const spent = reservation.settle(items.reduce((sum, item) => sum + (item.json.cost as number), 0));
		for (const item of items) item.json.executionCost = spent;
		return items;
	}
	if (failure instanceof PartialDeliveryError) {
		// Every image was billed, the lost ones too: they are reported with their cost.
		const spent = reservation.settle(failure.billedUsd);
		for (const item of failure.delivered) item.json.executionCost = spent;
		throw failure;
	}
	if (!accepted) throw submitFailed(this, failure, reservation, estimate, itemIndex, options.timeoutMs, deadline);
	// Accepted: the job may still finish and be billed, so it stays counted against the budget
	// (a failed task or an empty answer released it above).
	reservation.settle(billed ?? estimate);
	if (taskId && failure instanceof NodeApiError) failure.context.taskId ??= taskId;
	if (failure instanceof DeadlineError) {
		const error = taskId
			? uniallApiError(
					this,
					{
						reason: 'timeout',
						message: `The generation did not finish within ${options.timeoutMs / 1000} s (task ${taskId})`,
						description: `The task may still complete. Fetch it later with the Get Task operation and Task ID "${taskId}", or raise the Timeout option.`,
					},
					itemIndex,
				)
			: syncTimeoutError(this, options.timeoutMs, itemIndex);
		error.context.taskId = taskId;
		throw error;
	}
	throw failure;
}

/**
 * The creating POST failed. When the failure proves nothing was accepted, the reservation is
 * released; when UniAll may have accepted the job before its answer was lost, the job may be
 * billed, so the reservation stays counted, and a timeout says which option to raise.
 */
function submitFailed(
	ctx: IExecuteFunctions,
	failure: unknown,
	reservation: Reservation,
	estimate: number,
	itemIndex: number,
	timeoutMs: number,
	deadline: number,
): unknown {
	if (failure instanceof DeadlineError) {
		// Raised before a request went out: earlier attempts were refused or rate limited.
		reservation.release();
		return uniallApiError(
			ctx,
			{
				reason: 'timeout',
				message: `The generation request could not be sent within the Timeout of ${timeoutMs / 1000} s`,
				description: 'UniAll was rate limiting or unreachable and accepted nothing, so nothing is billed. Raise the Timeout option, or run the workflow later.',
			},
			itemIndex,
		);
	}
	if (!(failure instanceof NodeApiError) || !submitMayHaveCreatedJob(submitFailureOf(failure))) {
		reservation.release();
		return failure;
	}
	reservation.settle(estimate);
	// The request's own time limit is what is left of the row's Timeout: reaching it is the Timeout.
	if (failure.context.reason === 'timeout' && Date.now() >= deadline - TIMEOUT_SLACK_MS) return syncTimeoutError(ctx, timeoutMs, itemIndex);
	failure.description =
		`${failure.description ?? ''} UniAll may have accepted the job before its answer was lost: it was not resent, so that nobody pays twice, ` +
		'and it stays counted against Max Cost per Execution.';
	return failure;
}

/** Clock slack between the HTTP client's time limit firing and the row's deadline. */
const TIMEOUT_SLACK_MS = 1000;

function syncTimeoutError(ctx: IExecuteFunctions, timeoutMs: number, itemIndex: number): NodeApiError {
	return uniallApiError(
		ctx,
		{
			reason: 'timeout',
			message: `UniAll did not answer the generation request within the Timeout of ${timeoutMs / 1000} s`,
			description:
				'Raise the Timeout option: large images and several images per request can take minutes. The request was not resent, ' +
				'so that nobody pays twice; UniAll may still finish and bill it, so it stays counted against Max Cost per Execution.',
		},
		itemIndex,
	);
}

function submitFailureOf(error: NodeApiError): { status?: number; networkCode?: string } {
	const response = error.errorResponse ?? {};
	return {
		status: typeof response.httpCode === 'number' ? response.httpCode : undefined,
		networkCode: typeof response.networkCode === 'string' ? response.networkCode : undefined,
	};
}

function submittedItem(
	itemIndex: number,
	body: GenerationRequestBody,
	taskId: string,
	status: string,
	progress: number | undefined,
	estimate: number,
	spent: number,
): INodeExecutionData {
	return {
		json: {
			model: body.model,
			operation: body.generation_mode === 'image_to_image' ? 'imageToImage' : 'textToImage',
			generationMode: body.generation_mode,
			prompt: body.prompt,
			aspectRatio: body.aspect_ratio,
			resolution: body.resolution,
			imagesRequested: body.num_images,
			taskId,
			status,
			progress: progress ?? null,
			done: false,
			estimatedCost: estimate,
			currency: 'USD',
			executionCost: spent,
		},
		pairedItem: { item: itemIndex },
	};
}
