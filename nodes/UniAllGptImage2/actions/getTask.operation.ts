import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { DEFAULT_MODEL } from '../helpers/contract';
import { InputError } from '../helpers/errors';
import { readRowOptions } from '../helpers/options';
import { openTaskJson } from '../helpers/output';
import { validateResolution } from '../helpers/request';
import type { RunContext } from '../runState/runContext';
import { fetchTask, taskFailedError } from '../transport/poll';
import { deliverImages } from './deliver';
import { getTaskOptions, resolutionProperty, taskIdProperty } from './shared.properties';

const properties: INodeProperties[] = [
	taskIdProperty,
	{
		...resolutionProperty,
		hint:
			"Only for the cost, and only when UniAll's answer reports no cost or resolution and " +
			'the image size is not one the docs list',
		description:
			'Resolution the task was submitted with. Used for the cost only when the task answer ' +
			'reports no cost or resolution and the image size is not one the docs list.',
	},
	getTaskOptions(),
];

export const description = updateDisplayOptions({ show: { operation: ['getTask'] } }, properties);

/**
 * Looks at a task once. Done: the images, like a normal run. Still running: its status and
 * progress, so a workflow can loop through a Wait node. Failed: an error for this item.
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	run: RunContext,
): Promise<INodeExecutionData[]> {
	const rawTaskId = this.getNodeParameter('taskId', itemIndex);
	const taskId =
		typeof rawTaskId === 'string'
			? rawTaskId.trim()
			: typeof rawTaskId === 'number'
				? String(rawTaskId)
				: '';
	if (!taskId)
		throw new InputError(
			'Task ID',
			'Task ID is empty. Map it from the item that submitted the generation, e.g. {{ $json.taskId }}',
		);
	const resolution = validateResolution(this.getNodeParameter('resolution', itemIndex));
	const options = readRowOptions(
		this.getNodeParameter('options', itemIndex, {}) as Record<string, unknown>,
	);
	const deadline = Date.now() + options.timeoutMs;

	const task = await fetchTask.call(this, taskId, itemIndex, run, deadline);
	if (task.state === 'failed') {
		throw taskFailedError(this, taskId, task, itemIndex);
	}
	if (task.state !== 'succeeded') {
		return [{ json: openTaskJson(taskId, task, resolution), pairedItem: { item: itemIndex } }];
	}
	// Without a cost or tier in the answer, the delivered pixel size tells the tier better than the
	// parameter (which defaults to 1K, so a 4K task would otherwise be billed at the 1K price).
	const bySize =
		task.reportedCost === undefined && task.reportedResolution === undefined
			? resolution
			: undefined;
	const items = await deliverImages.call(
		this,
		itemIndex,
		run,
		options,
		{
			model: task.reportedModel ?? DEFAULT_MODEL,
			operation: 'getTask',
			// Only what the answer tells: null otherwise (a task answer need not echo its request).
			generatedBy: task.reportedOperation,
			prompt: task.reportedPrompt,
			aspectRatio: task.reportedAspectRatio,
			resolution: task.reportedResolution ?? resolution,
			taskId,
		},
		task.images,
		deadline,
		{ reportedCost: task.reportedCost, bySize },
	);
	for (const item of items) Object.assign(item.json, { done: true, status: task.status });
	return items;
}
