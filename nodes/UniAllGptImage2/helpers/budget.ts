import { addUsd } from './pricing';

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

	reserve(requestUsd: number): { settle: (actualUsd: number) => number; release: () => void } {
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
