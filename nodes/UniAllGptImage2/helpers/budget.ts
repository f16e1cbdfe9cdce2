import { addUsd } from './pricing';
import { isRetryable } from './retry';

export class BudgetExceededError extends Error {
	constructor(
		readonly limitUsd: number,
		readonly spentUsd: number,
		readonly requestUsd: number,
	) {
		super(
			`This row would cost $${requestUsd} and bring the spend of this execution to $${addUsd(spentUsd, requestUsd)}, ` +
				`over the Max Cost per Execution of $${limitUsd}`,
		);
		this.name = 'BudgetExceededError';
	}
}

/** One row's reservation: settled to what was (or may be) billed, or released when nothing is. */
export interface Reservation {
	settle: (actualUsd: number) => number;
	release: () => void;
}

/**
 * Budget guard for one execution. A row reserves its worst-case cost before it is submitted, so
 * rows running in parallel can never overshoot the limit together; once the row is done the
 * reservation is settled to what was actually delivered (failed images are not billed).
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

	reserve(requestUsd: number): Reservation {
		const committed = addUsd(this.spentUsd, this.reservedUsd);
		if (this.limitUsd !== undefined && addUsd(committed, requestUsd) > this.limitUsd) {
			throw new BudgetExceededError(this.limitUsd, committed, requestUsd);
		}
		this.reservedUsd = addUsd(this.reservedUsd, requestUsd);
		let open = true;
		const drop = () => {
			if (!open) return false;
			open = false;
			this.reservedUsd = addUsd(this.reservedUsd, -requestUsd);
			return true;
		};
		return {
			settle: (actualUsd: number) => {
				if (drop()) this.spentUsd = addUsd(this.spentUsd, actualUsd);
				return this.spentUsd;
			},
			release: () => void drop(),
		};
	}
}

/**
 * Whether a failed creating POST may still have created a job that UniAll will bill, so its
 * reservation must stay counted: the answer was lost on the way back (a timeout, a dropped
 * connection, a gateway's 502 or 504). Failures that prove nothing was accepted (a refused
 * connection, an unknown host, UniAll's own error answer) release it.
 */
export function submitMayHaveCreatedJob(failure: { status?: number; networkCode?: string }): boolean {
	if (failure.status !== undefined) return failure.status === 502 || failure.status === 504;
	return failure.networkCode === undefined || !isRetryable('submit', undefined, failure.networkCode);
}
