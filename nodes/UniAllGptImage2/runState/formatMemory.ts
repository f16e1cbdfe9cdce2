import type { RequestFormat } from '../helpers/contract';

/**
 * What one node run has learned about the request format UniAll accepts, shared by the rows that
 * run concurrently. While the format is unknown exactly one row probes; the others wait for its
 * outcome instead of each paying the fallback round trip, so 500 rows cost one extra request.
 */
export class FormatMemory {
	known?: RequestFormat;
	private probing?: Promise<void>;

	learn(format: RequestFormat): void {
		this.known = format;
	}

	/**
	 * Runs `withKnown` once the format is known. Otherwise runs `probe` as the run's only probe
	 * (it calls learn()); a probe that learns nothing (e.g. the row's prompt was refused) lets
	 * the next waiting row probe.
	 */
	async run<T>(
		withKnown: (format: RequestFormat) => Promise<T>,
		probe: () => Promise<T>,
	): Promise<T> {
		for (;;) {
			if (this.known) return await withKnown(this.known);
			if (!this.probing) break;
			await this.probing;
		}
		let finished!: () => void;
		this.probing = new Promise<void>((resolve) => (finished = resolve));
		try {
			return await probe();
		} finally {
			this.probing = undefined;
			finished();
		}
	}
}
