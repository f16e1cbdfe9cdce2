import { BudgetExceededError } from '../helpers/errors';
import { addUsd } from '../helpers/pricing';
import { ANSWER_LOST_STATUSES, isRetryable } from '../helpers/retry';

/**
 * Budget guard for one execution. A row reserves its worst-case cost before it is submitted, so
 * rows running in parallel can never overshoot the limit together; once the row is done the
 * reservation is settled to what was (or may be) billed, or released when nothing can be.
 */
export class BudgetGuard {
	private reservedUsd = 0;

	constructor(
		readonly limitUsd: number | undefined,
		private spentUsd = 0,
	) {}

	get spent(): number {
		return this.spentUsd;
	}

	/**
	 * Throws BudgetExceededError when the row does not
	 * fit under the limit; nothing is submitted then.
	 */
	reserve(requestUsd: number): Reservation {
		const committed = addUsd(this.spentUsd, this.reservedUsd);
		if (this.limitUsd !== undefined && addUsd(committed, requestUsd) > this.limitUsd) {
			throw new BudgetExceededError(this.limitUsd, committed, requestUsd);
		}
		this.reservedUsd = addUsd(this.reservedUsd, requestUsd);
		const close = (spentUsd: number) => {
			this.reservedUsd = addUsd(this.reservedUsd, -requestUsd);
			this.spentUsd = addUsd(this.spentUsd, spentUsd);
		};
		return new Reservation(requestUsd, close, () => this.spentUsd);
	}
}

/**
 * One row's reservation, closed exactly once. Until UniAll answers the row owes nothing; once it
 * accepted the job the estimate stays counted (the job may finish and be billed), and once images
 * exist their cost does, even if storing them fails afterwards.
 */
export class Reservation {
	private open = true;
	private owedUsd: number;

	constructor(
		readonly estimateUsd: number,
		private readonly close: (spentUsd: number) => void,
		private readonly executionSpend: () => number,
	) {
		this.owedUsd = estimateUsd;
	}

	/** The generation produced images: they are billed whatever happens to them next. */
	owe(usd: number): void {
		this.owedUsd = usd;
	}

	/** Counts `actualUsd` (by default what the row owes) as spent; returns the execution's spend. */
	settle(actualUsd = this.owedUsd): number {
		if (this.open) {
			this.open = false;
			this.close(actualUsd);
		}
		return this.executionSpend();
	}

	/** Nothing can be billed (refused, failed task, no images): the reservation is freed. */
	release(): void {
		if (this.open) this.settle(0);
	}

	/**
	 * A creating POST failed. Counted when UniAll may have created the job before its answer was
	 * lost (see submitMayHaveCreatedJob), freed when the failure proves nothing was accepted.
	 * Returns whether it stays counted.
	 */
	afterFailedSubmit(failure: SubmitFailure | undefined): boolean {
		const counted = failure !== undefined && submitMayHaveCreatedJob(failure);
		if (counted) this.settle(this.estimateUsd);
		else this.release();
		return counted;
	}
}

/** What a failed creating POST is known by: its HTTP status or its network error code. */
export interface SubmitFailure {
	status?: number;
	networkCode?: string;
}

/**
 * Whether a failed creating POST may still have created a job that UniAll will bill, so its
 * reservation must stay counted: the answer was lost on the way back (a timeout, a dropped
 * connection, a gateway's 502, 504, 520 or 524, a 2xx answer that could not be read). Failures that prove nothing was accepted (a refused
 * connection, an unknown host, UniAll's own error answer) release it.
 */
export function submitMayHaveCreatedJob(failure: SubmitFailure): boolean {
	// A 2xx answer that could not be read was an acceptance.
	if (failure.status !== undefined)
		return (
			(failure.status >= 200 && failure.status < 300) ||
			ANSWER_LOST_STATUSES.includes(failure.status)
		);
	return (
		failure.networkCode === undefined || !isRetryable('submit', undefined, failure.networkCode)
	);
}
