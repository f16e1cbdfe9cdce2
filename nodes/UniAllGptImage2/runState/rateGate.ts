/**
 * One gate per host, shared by all rows of a node run: when any row is told to slow down by a host
 * (429 or Retry-After), every row waits before its next call to that host instead of each
 * hammering it alone. Other hosts are not held back: UniAll's limit never delays the download of an
 * image already billed, and an image host's limit never delays UniAll's calls.
 */
export class RateGate {
	private openAt = 0;

	constructor(private readonly now: () => number = Date.now) {}

	/** Closes the gate for at least `ms` from now (never shortens an existing pause). */
	pauseFor(ms: number): void {
		this.openAt = Math.max(this.openAt, this.now() + Math.max(0, ms));
	}

	/** Milliseconds until calls may go out again (0 when open). */
	remainingMs(): number {
		return Math.max(0, this.openAt - this.now());
	}
}

/** The gates of a run: UniAll's API, and one per image host (created on first use). */
export class RateGates {
	readonly api: RateGate;
	private readonly imageHosts = new Map<string, RateGate>();

	constructor(private readonly now: () => number = Date.now) {
		this.api = new RateGate(now);
	}

	/** The gate of the host serving `url` (host and port). */
	forImage(url: string): RateGate {
		let host: string;
		try {
			host = new URL(url).host.toLowerCase();
		} catch {
			host = url;
		}
		let gate = this.imageHosts.get(host);
		if (!gate) {
			gate = new RateGate(this.now);
			this.imageHosts.set(host, gate);
		}
		return gate;
	}
}
