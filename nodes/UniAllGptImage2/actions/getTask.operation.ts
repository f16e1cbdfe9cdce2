import { updateDisplayOptions, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

import { deliverImages } from '../helpers/deliver';
import { DEFAULT_MODEL } from '../helpers/contract';
import { readRowOptions } from '../helpers/options';
import { InputError, validateResolution } from '../helpers/request';
import type { RunContext } from '../helpers/runContext';
import { fetchTask, taskFailedError } from '../transport/poll';
import { getTaskOptions, resolutionProperty, taskIdProperty } from './shared.properties';

const properties: INodeProperties[] = [
	taskIdProperty,
	{
		...resolutionProperty,
		description: 'Resolution the task was submitted with; used to compute the cost of its images',
	},
	getTaskOptions(),
];

export const description = updateDisplayOptions({ show: { operation: ['getTask'] } }, properties);

/**
 * Looks at a task once. Done: the images, like a normal run. Still running: its status and
 * progress, so a workflow can loop through a Wait node. Failed: an error for this item.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number, run: RunContext): Promise<INodeExecutionData[]> {
	const rawTaskId = this.getNodeParameter('taskId', itemIndex);
	const taskId = typeof rawTaskId === 'string' ? rawTaskId.trim() : typeof rawTaskId === 'number' ? String(rawTaskId) : '';
	if (!taskId) throw new InputError('Task ID', 'Task ID is empty. Map it from the item that submitted the generation, e.g. {{ $json.taskId }}');
	const resolution = validateResolution(this.getNodeParameter('resolution', itemIndex));
	const options = readRowOptions(this.getNodeParameter('options', itemIndex, {}) as Record<string, unknown>);
	const deadline = Date.now() + options.timeoutMs;

	const task = await fetchTask.call(this, taskId, itemIndex, run, deadline);
	if (task.state === 'failed') {
		throw taskFailedError(this, taskId, task, itemIndex);
	}
	if (task.state !== 'succeeded') {
		return [
			{
				json: { operation: 'getTask', taskId, done: false, status: task.status, progress: task.progress ?? null, resolution },
				pairedItem: { item: itemIndex },
			},
		];
	}
	const items = await deliverImages.call(
		this,
		itemIndex,
		run,
		options,
		{ model: DEFAULT_MODEL, operation: 'getTask', resolution, taskId },
		task.images,
		deadline,
		task.reportedCost,
	);
	for (const item of items) Object.assign(item.json, { done: true, status: task.status });
	return items;
}
