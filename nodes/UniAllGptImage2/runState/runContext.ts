import type { IExecuteFunctions } from 'n8n-workflow';

import { BudgetGuard } from './budget';
import type { RateGates } from './rateGate';

/** Node-level settings read once per run, and the state all rows of the run share. */
export interface RunContext {
	baseUrl: string;
	concurrency: number;
	maxRetries: number;
	/** Rate gates per host: UniAll's API and each image host. */
	gates: RateGates;
	budget: BudgetGuard;
	signal?: AbortSignal;
	/**
	 * Execution, node and run of the node: with the row and the body, it makes the Idempotency-Key.
	 */
	idempotencyScope: string;
	/** Execution (and run of the node after the first) in output file names: see imageFileName. */
	fileNameScope: string;
}

export function cancelSignal(ctx: IExecuteFunctions): AbortSignal | undefined {
	return typeof ctx.getExecutionCancelSignal === 'function'
		? ctx.getExecutionCancelSignal()
		: undefined;
}
