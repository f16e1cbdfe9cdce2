import { sleep } from 'n8n-workflow';

import { CancelledError } from '../helpers/errors';
import type { RetryStep } from '../helpers/retry';
import type { RunContext } from './runContext';

/** Longest single sleep, so a cancelled execution is noticed quickly even during long waits. */
const SLICE_MS = 1000;

/**
 * Waits `ms`, stopping early (with CancelledError) when the execution is cancelled. Built on
 * n8n-workflow's `sleep` alone because older n8n releases have no abortable sleep.
 */
export async function pause(ms: number, signal?: AbortSignal): Promise<void> {
	let left = Math.max(0, ms);
	while (left > 0) {
		if (signal?.aborted) throw new CancelledError();
		const slice = Math.min(left, SLICE_MS);
		await sleep(slice);
		left -= slice;
	}
	if (signal?.aborted) throw new CancelledError();
}

/**
 * Waits as the retry policy says: alone, or (a server
 * asking to slow down) every row of the run together.
 */
export async function backOff(
	run: RunContext,
	step: Extract<RetryStep, { action: 'wait' }>,
): Promise<void> {
	if (step.everyRow) run.gate.pauseFor(step.ms);
	else await pause(step.ms, run.signal);
}

/** Waits until the run's rate gate opens; `onTimeout` when that would pass the deadline. */
export async function waitForGate(
	run: RunContext,
	deadline: number,
	onTimeout: () => Error,
): Promise<void> {
	for (let wait = run.gate.remainingMs(); wait > 0; wait = run.gate.remainingMs()) {
		if (Date.now() + wait > deadline) throw onTimeout();
		await pause(wait, run.signal);
	}
}
