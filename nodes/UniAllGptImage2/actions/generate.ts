import { NodeApiError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import type { GenerationOperation } from '../helpers/contract';
import {
	acceptedUnfollowable,
	CancelledError,
	DeadlineError,
	MAY_HAVE_ACCEPTED_NOTE,
	noImagesReturned,
	notSentWithinTimeout,
	syncTimeout,
	taskTimeout,
} from '../helpers/errors';
import {
	normaliseGenerationAnswer,
	type ApiImage,
	type GenerationAnswer,
} from '../helpers/normalise';
import { readRowOptions, type RowOptions } from '../helpers/options';
import { submittedItemJson, type RowFacts } from '../helpers/output';
import { requestCost } from '../helpers/pricing';
import { reachedDeadline } from '../helpers/retry';
import { buildGenerationBody, type GenerationRequestBody } from '../helpers/request';
import type { Reservation } from '../runState/budget';
import type { RunContext } from '../runState/runContext';
import { apiFailureOf, PartialDeliveryError, uniallApiError } from '../transport/nodeErrors';
import { pollTask, taskFailedError } from '../transport/poll';
import { submitGeneration, type Submission } from '../transport/submit';
import { deliverImages } from './deliver';
import { resolveReferenceImages } from './referenceImages';

/**
 * Text to Image and Image to Image share this flow: validate, reserve budget, submit once,
 * wait (or not), deliver. Everything that can be checked is checked before the paid POST, and
 * the reservation is closed on every path to what was (or may be) billed.
 */
export async function generate(
	this: IExecuteFunctions,
	itemIndex: number,
	run: RunContext,
	operation: GenerationOperation,
): Promise<INodeExecutionData[]> {
	// Validate: a row that cannot be sent fails here, before anything is reserved or sent.
	const options = readRowOptions(
		this.getNodeParameter('options', itemIndex, {}) as Record<string, unknown>,
	);
	const body = await requestBody.call(this, itemIndex, operation, options);
	const row = rowFacts(operation, body);
	// Reserve: rows running in parallel never overshoot Max Cost per Execution together.
	const reservation = run.budget.reserve(requestCost(body.resolution, body.num_images));
	const deadline = Date.now() + options.timeoutMs;

	// Submit: the one paid call. Nothing after it resends it.
	let submission: Submission;
	try {
		submission = await submitGeneration.call(
			this,
			{ body, requestFormat: options.requestFormat, itemIndex, deadline },
			run,
		);
	} catch (error) {
		throw submitFailed(this, error, reservation, itemIndex, options.timeoutMs, deadline);
	}
	row.requestFormat = submission.format;

	try {
		// Await: a task is polled until it finishes, unless the user collects it later with Get Task.
		const answer = normaliseGenerationAnswer(submission.answer);
		if (answer.kind === 'untracked') {
			if (answer.failed) {
				reservation.release();
				throw taskFailedError(this, undefined, { ...answer, error: answer.failed }, itemIndex);
			}
			// Accepted, so billed, but nothing to await: the catch below keeps it counted.
			throw uniallApiError(
				this,
				acceptedUnfollowable(answer.status, JSON.stringify(submission.answer)),
				itemIndex,
			);
		}
		row.taskId = answer.taskId;
		if (answer.kind === 'task' && answer.failed) {
			// Failed as soon as it was submitted: nothing to wait for, nothing billed.
			reservation.release();
			throw taskFailedError(this, answer.taskId, { ...answer, error: answer.failed }, itemIndex);
		}
		if (answer.kind === 'task' && !options.waitForCompletion) {
			// Not delivered yet, but it will be billed when it is: the estimate counts as spent.
			const json = submittedItemJson(row, answer, reservation.estimateUsd, reservation.settle());
			return [{ json, pairedItem: { item: itemIndex } }];
		}
		const result = await finished.call(
			this,
			answer,
			reservation,
			itemIndex,
			run,
			options,
			deadline,
		);
		// Deliver: the images exist, so they are billed even if storing one of them fails.
		reservation.owe(requestCost(body.resolution, result.images.length));
		const items = await deliverImages.call(
			this,
			itemIndex,
			run,
			options,
			row,
			result.images,
			deadline,
			{ reportedCost: result.reportedCost },
		);
		const spent = reservation.settle(
			items.reduce((sum, item) => sum + (item.json.cost as number), 0),
		);
		for (const item of items) item.json.executionCost = spent;
		return items;
	} catch (error) {
		throw acceptedJobFailed(this, error, reservation, row.taskId, itemIndex, options.timeoutMs);
	}
}

/**
 * The images of a finished generation: the answer's own, or those of its task once polling sees
 * it finish. A failed task or an empty answer bills nothing, so the reservation is released.
 */
async function finished(
	this: IExecuteFunctions,
	answer: Exclude<GenerationAnswer, { kind: 'untracked' }>,
	reservation: Reservation,
	itemIndex: number,
	run: RunContext,
	options: RowOptions,
	deadline: number,
): Promise<{ images: ApiImage[]; reportedCost?: number }> {
	const result =
		answer.kind === 'task'
			? await pollTask.call(this, answer.taskId, itemIndex, run, {
					intervalMs: options.pollIntervalMs,
					deadline,
				})
			: answer;
	if ('state' in result && result.state === 'failed') {
		reservation.release();
		throw taskFailedError(this, String(answer.taskId), result, itemIndex);
	}
	if (result.images.length === 0) {
		reservation.release();
		throw uniallApiError(this, noImagesReturned(answer.taskId), itemIndex);
	}
	return result;
}

/** What every item of the row says about the request. */
function rowFacts(operation: GenerationOperation, body: GenerationRequestBody): RowFacts {
	return {
		model: body.model,
		operation,
		prompt: body.prompt,
		aspectRatio: body.aspect_ratio,
		resolution: body.resolution,
		imagesRequested: body.num_images,
		outputFormat: body.output_format,
		background: body.background,
	};
}

/** The request body of one row, validated; Image to Image reads its reference images first. */
async function requestBody(
	this: IExecuteFunctions,
	itemIndex: number,
	operation: GenerationOperation,
	options: RowOptions,
): Promise<GenerationRequestBody> {
	const imageUrls =
		operation === 'imageToImage' ? await resolveReferenceImages.call(this, itemIndex) : undefined;
	return buildGenerationBody({
		operation,
		prompt: this.getNodeParameter('prompt', itemIndex),
		aspectRatio: this.getNodeParameter('aspectRatio', itemIndex),
		resolution: this.getNodeParameter('resolution', itemIndex),
		numImages: this.getNodeParameter('numImages', itemIndex),
		model: options.model,
		imageUrls,
		outputFormat: options.outputFormat,
		outputCompression: options.outputCompression,
		quality: options.quality,
		background: options.background,
	});
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
	itemIndex: number,
	timeoutMs: number,
	deadline: number,
): unknown {
	if (failure instanceof CancelledError) {
		// Cancelled with the POST in flight: like a dropped connection, the job may exist.
		if (failure.whileSubmitting) reservation.settle(reservation.estimateUsd);
		else reservation.release();
		return failure;
	}
	if (failure instanceof DeadlineError) {
		// Raised before a request went out: earlier attempts were refused or rate limited.
		reservation.release();
		return uniallApiError(ctx, notSentWithinTimeout(timeoutMs), itemIndex);
	}
	// UniAll's answer behind the error (status or network code), as the transport recorded it.
	const mayHaveCreatedJob = reservation.afterFailedSubmit(
		failure instanceof NodeApiError ? (apiFailureOf(failure) ?? {}) : undefined,
	);
	if (!mayHaveCreatedJob || !(failure instanceof NodeApiError)) return failure;
	// The request's own time limit is what is left of the row's Timeout: reaching it is the Timeout.
	if (failure.context.reason === 'timeout' && reachedDeadline(deadline))
		return uniallApiError(ctx, syncTimeout(timeoutMs), itemIndex);
	failure.description = `${failure.description ?? ''} ${MAY_HAVE_ACCEPTED_NOTE}`;
	return failure;
}

/**
 * UniAll accepted the job, then something failed. Lost images were billed and are reported with
 * their cost; otherwise the job may still finish and be billed, so the reservation stays counted
 * (a failed task or an empty answer released it already), and a timeout names the task.
 */
function acceptedJobFailed(
	ctx: IExecuteFunctions,
	failure: unknown,
	reservation: Reservation,
	taskId: string | undefined,
	itemIndex: number,
	timeoutMs: number,
): unknown {
	if (failure instanceof PartialDeliveryError) {
		const spent = reservation.settle(failure.billedUsd);
		for (const item of failure.delivered) item.json.executionCost = spent;
		return failure;
	}
	reservation.settle();
	if (taskId && failure instanceof NodeApiError) failure.context.taskId ??= taskId;
	if (!(failure instanceof DeadlineError)) return failure;
	const error = uniallApiError(
		ctx,
		taskId ? taskTimeout(taskId, timeoutMs) : syncTimeout(timeoutMs),
		itemIndex,
	);
	error.context.taskId = taskId;
	return error;
}
