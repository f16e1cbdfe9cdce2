import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { GenerationOperation } from '../helpers/contract';
import { deliverImages } from '../helpers/deliver';
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
	// Once images exist they are billed, even if storing them fails afterwards.
	let billed: number | undefined;
	let items: INodeExecutionData[] | undefined;
	let failure: unknown;
	try {
		const submission = await submitGeneration.call(
			this,
			{
				body,
				requestFormat: options.requestFormat,
				itemIndex,
				deadline,
				idempotencyKey: () => idempotencyKey(run.idempotencyScope, itemIndex),
			},
			run,
		);
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
	if (failure instanceof DeadlineError) {
		// The job may still finish and be billed: keep it counted against the budget.
		reservation.settle(billed ?? estimate);
		throw uniallApiError(
			this,
			{
				reason: 'timeout',
				message: taskId
					? `The generation did not finish within ${options.timeoutMs / 1000} s (task ${taskId})`
					: `UniAll did not answer the generation request within ${options.timeoutMs / 1000} s`,
				description: taskId
					? `The task may still complete. Fetch it later with the Get Task operation and Task ID "${taskId}", or raise the Timeout option.`
					: 'Raise the Timeout option, or check the UniAll status page.',
			},
			itemIndex,
		);
	}
	if (billed !== undefined) reservation.settle(billed);
	else reservation.release();
	throw failure;
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
