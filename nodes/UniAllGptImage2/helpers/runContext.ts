import type { IExecuteFunctions } from 'n8n-workflow';

import { BudgetGuard } from './budget';
import type { FormatMemory } from './formatMemory';
import { RateGate } from './rateGate';

/** Node-level settings read once per run, and the state all rows of the run share. */
export interface RunContext {
	baseUrl: string;
	concurrency: number;
	maxRetries: number;
	gate: RateGate;
	budget: BudgetGuard;
	signal?: AbortSignal;
	/** Stable per execution and node, so a retried row sends the same idempotency key. */
	idempotencyScope: string;
	/** The request format learned under `auto`; created by the first submission (transport/submit.ts). */
	requestFormat?: FormatMemory;
}

export function cancelSignal(ctx: IExecuteFunctions): AbortSignal | undefined {
	return typeof ctx.getExecutionCancelSignal === 'function' ? ctx.getExecutionCancelSignal() : undefined;
}
