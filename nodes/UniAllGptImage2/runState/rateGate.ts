/**
 * One gate shared by all rows of a node run: when any row is told to slow down (429 or
 * Retry-After), every row waits before its next call instead of each hammering the API alone.
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
