import { sleep } from 'n8n-workflow';

import { CancelledError } from '../helpers/errors';
import type { RetryStep } from '../helpers/retry';
import type { RateGate } from './rateGate';
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
	gate: RateGate,
	step: Extract<RetryStep, { action: 'wait' }>,
): Promise<void> {
	if (step.everyRow) gate.pauseFor(step.ms);
	else await pause(step.ms, run.signal);
}

/**
 * Waits until a host's rate gate opens; `onTimeout` when that would pass the deadline, unless
 * `tryAnyway` (a billed image not yet tried once): then it goes out at once, without waiting.
 */
export async function waitForGate(
	run: RunContext,
	gate: RateGate,
	deadline: number,
	onTimeout: () => Error,
	tryAnyway = false,
): Promise<void> {
	for (let wait = gate.remainingMs(); wait > 0; wait = gate.remainingMs()) {
		if (Date.now() + wait > deadline) {
			if (tryAnyway) return;
			throw onTimeout();
		}
		await pause(wait, run.signal);
	}
}
