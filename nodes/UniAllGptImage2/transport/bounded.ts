import { sleep, type IExecuteFunctions } from 'n8n-workflow';

/**
 * Node's Readable, named through n8n's own helper
 * type (community nodes may not import node:stream).
 */
export type Readable = Exclude<
	Parameters<IExecuteFunctions['helpers']['prepareBinaryData']>[0],
	Buffer
>;

/** Longest single sleep of the deadline watch (bounds the timer left after a call ends). */
const WATCH_SLICE_MS = 1000;

type Raced<T> = { value: T } | { error: unknown } | { timeout: true } | { cancelled: true };

/**
 * Waits for `promise` until `deadline` or the execution's cancellation, whichever comes first.
 * n8n's `timeout` is an idle timer that every byte restarts, and its authenticated helper puts
 * the execution's own cancel signal on every request, so a server trickling its headers would
 * hold the row for as long as it likes: this is the row's wall-clock bound. Built on
 * n8n-workflow's `sleep`, as node code may not set timers itself. A call given up on is left to
 * its own idle `timeout`; its outcome is ignored.
 */
export async function untilDeadline<T>(
	promise: Promise<T>,
	deadline: number,
	signal?: AbortSignal,
): Promise<Raced<T>> {
	let settled = false;
	const call = promise.then(
		(value): Raced<T> => ({ value }),
		(error: unknown): Raced<T> => ({ error }),
	);
	const watch = (async (): Promise<Raced<T>> => {
		for (let left = deadline - Date.now(); !settled; left = deadline - Date.now()) {
			if (left <= 0) return { timeout: true };
			await sleep(Math.min(WATCH_SLICE_MS, left));
		}
		return await new Promise<Raced<T>>(() => {});
	})();
	let onAbort = () => {};
	const cancel = new Promise<Raced<T>>((resolve) => {
		onAbort = () => resolve({ cancelled: true });
		if (signal?.aborted) onAbort();
		else signal?.addEventListener('abort', onAbort, { once: true });
	});
	try {
		return await Promise.race([call, watch, cancel]);
	} finally {
		settled = true;
		signal?.removeEventListener('abort', onAbort);
	}
}

export type ReadOutcome =
	| { body: Buffer }
	| { tooLarge: true }
	| { timeout: true }
	| { cancelled: true }
	| { error: unknown };

/**
 * Reads a whole answer, counting bytes as they arrive (after n8n's client has decompressed
 * them): past `maxBytes` or the deadline the stream is destroyed, so neither a gzip bomb nor a
 * trickle can outgrow memory or the row's Timeout.
 */
export async function readBounded(
	source: Readable,
	maxBytes: number,
	deadline: number,
	signal?: AbortSignal,
): Promise<ReadOutcome> {
	const read = new Promise<ReadOutcome>((resolve) => {
		const chunks: Buffer[] = [];
		let size = 0;
		source.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size > maxBytes) {
				source.destroy();
				resolve({ tooLarge: true });
				return;
			}
			chunks.push(chunk);
		});
		source.on('end', () => resolve({ body: Buffer.concat(chunks) }));
		source.on('error', (error: Error) => resolve({ error }));
		source.on('close', () => resolve({ error: new Error('the answer was cut off') }));
	});
	const outcome = await untilDeadline(read, deadline, signal);
	if ('value' in outcome) return outcome.value;
	source.destroy();
	return 'error' in outcome ? { error: outcome.error } : outcome;
}
