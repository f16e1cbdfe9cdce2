import { sleep } from 'n8n-workflow';

import { CancelledError } from '../helpers/errors';

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
