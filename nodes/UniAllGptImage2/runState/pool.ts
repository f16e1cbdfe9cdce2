/**
 * Runs `worker(index)` for indexes 0..count-1 with at most `concurrency` in flight. Results keep
 * input order whatever finishes first. When `stopOnError` is set, the first failure stops new work
 * from starting; work already running is allowed to settle (a submitted generation is paid for,
 * so its images must not be thrown away) and then the earliest failing index is reported.
 */
export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

export async function runPool<T>(
	count: number,
	concurrency: number,
	worker: (index: number) => Promise<T>,
	options: { stopOnError?: boolean; isCancelled?: () => boolean } = {},
): Promise<{
	results: Array<Settled<T> | undefined>;
	firstError?: { index: number; error: unknown };
}> {
	const results: Array<Settled<T> | undefined> = new Array(count).fill(undefined);
	let next = 0;
	let stopped = false;
	let firstError: { index: number; error: unknown } | undefined;

	const lane = async () => {
		while (!stopped && next < count && !options.isCancelled?.()) {
			const index = next++;
			try {
				results[index] = { ok: true, value: await worker(index) };
			} catch (error) {
				results[index] = { ok: false, error };
				if (!firstError || index < firstError.index) firstError = { index, error };
				if (options.stopOnError) stopped = true;
			}
		}
	};

	const lanes = Math.max(1, Math.min(Math.floor(concurrency) || 1, count));
	await Promise.all(Array.from({ length: lanes }, lane));
	return { results, firstError };
}
