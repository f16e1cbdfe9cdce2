import type { IExecuteFunctions } from 'n8n-workflow';

import { BudgetGuard } from './budget';
import { RateGate } from './rateGate';

/** Node-level settings read once per run, and the state all rows of the run share. */
export interface RunContext {
	baseUrl: string;
	concurrency: number;
	maxRetries: number;
	gate: RateGate;
	budget: BudgetGuard;
	signal?: AbortSignal;
}

export function cancelSignal(ctx: IExecuteFunctions): AbortSignal | undefined {
	return typeof ctx.getExecutionCancelSignal === 'function' ? ctx.getExecutionCancelSignal() : undefined;
}
