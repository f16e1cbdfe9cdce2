import { NodeApiError, type IExecuteFunctions } from 'n8n-workflow';

import { ROUTES } from '../helpers/contract';
import { DeadlineError, taskFailed, taskStillOpen } from '../helpers/errors';
import { normaliseTaskAnswer, type TaskSnapshot } from '../helpers/normalise';
import { reachedDeadline } from '../helpers/retry';
import { pause } from '../runState/pause';
import type { RunContext } from '../runState/runContext';
import { apiRequest } from './api';
import { uniallApiError } from './nodeErrors';

export async function fetchTask(
	this: IExecuteFunctions,
	taskId: string,
	itemIndex: number,
	run: RunContext,
	deadline: number,
): Promise<TaskSnapshot> {
	const body = await apiRequest.call(
		this,
		{
			method: 'GET',
			route: ROUTES.task(taskId),
			kind: 'read',
			itemIndex,
			what: `task ${taskId}`,
			deadline,
		},
		run,
	);
	const snapshot = normaliseTaskAnswer(body);
	return { ...snapshot, taskId: snapshot.taskId ?? taskId };
}

/**
 * Polls a task until it succeeds or fails. Throws DeadlineError when the row's time is up and
 * CancelledError (within one interval slice) when the execution is cancelled.
 */
export async function pollTask(
	this: IExecuteFunctions,
	taskId: string,
	itemIndex: number,
	run: RunContext,
	options: { intervalMs: number; deadline: number },
): Promise<TaskSnapshot> {
	for (;;) {
		const wait = Math.min(options.intervalMs, options.deadline - Date.now());
		if (wait <= 0) throw new DeadlineError();
		await pause(wait, run.signal);
		let snapshot: TaskSnapshot;
		try {
			snapshot = await fetchTask.call(this, taskId, itemIndex, run, options.deadline);
		} catch (error) {
			throw checkFailed(error, taskId, options.deadline);
		}
		if (snapshot.state === 'succeeded' || snapshot.state === 'failed') return snapshot;
	}
}

/**
 * A failed status check. One cut short by the row's Timeout is the Timeout (DeadlineError: worded
 * as the task not finishing in time); any other names the task for Get Task.
 */
function checkFailed(error: unknown, taskId: string, deadline: number): unknown {
	if (!(error instanceof NodeApiError)) return error;
	if (error.context.reason === 'timeout' && reachedDeadline(deadline)) return new DeadlineError();
	return taskStillOpenError(error, taskId);
}

/**
 * Checking on an accepted task failed (its retries
 * are spent): the error names the task for Get Task.
 */
function taskStillOpenError(error: NodeApiError, taskId: string): NodeApiError {
	const words = taskStillOpen(taskId);
	error.message = `${error.message}${words.messageSuffix}`;
	error.description = words.descriptionPrefix + (error.description ? ` ${error.description}` : '');
	error.context.taskId = taskId;
	return error;
}

/** A task UniAll reports as failed, as an n8n error; failed images are not billed. */
export function taskFailedError(
	ctx: IExecuteFunctions,
	taskId: string | undefined,
	task: Pick<TaskSnapshot, 'status' | 'error'>,
	itemIndex: number,
) {
	return uniallApiError(ctx, taskFailed(taskId, task), itemIndex);
}
