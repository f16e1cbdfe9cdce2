import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { CREDENTIAL_NAME, type Operation } from '../helpers/contract';
import { INVALID_BASE_URL, unsupportedOperation } from '../helpers/errors';
import { readRunOptions } from '../helpers/options';
import { describePaidFor, type RowMoney } from '../helpers/paidFor';
import { normaliseBaseUrl } from '../helpers/urls';
import { BudgetGuard } from '../runState/budget';
import { runPool, type Settled } from '../runState/pool';
import { RateGates } from '../runState/rateGate';
import { cancelSignal, type RunContext } from '../runState/runContext';
import {
	errorItem,
	forEditor,
	keepSecretsOut,
	PartialDeliveryError,
	toNodeError,
	withoutSecrets,
} from '../transport/nodeErrors';
import * as estimateCost from './estimateCost.operation';
import * as getTask from './getTask.operation';
import * as imageToImage from './imageToImage.operation';
import * as textToImage from './textToImage.operation';

const operations: Record<Operation, { execute: typeof textToImage.execute }> = {
	textToImage,
	imageToImage,
	estimateCost,
	getTask,
};

/** Execution-scoped memory of what this node spent, so loops over the node share one budget. */
const SPENT_KEY = 'uniallSpentUsd';

/**
 * The item loop and its error handling, written once for every operation. Items run through a
 * bounded pool; output order and pairedItem follow the input whatever finishes first.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const operation = this.getNodeParameter('operation', 0) as Operation;
	const handler = operations[operation];
	if (!handler) throw new NodeOperationError(this.getNode(), unsupportedOperation(operation));

	const run = await createRunContext.call(this, operation);
	const continueOnFail = this.continueOnFail();
	// With On Error: Continue (using error output), error items take the shape n8n routes there.
	const toErrorOutput = this.getNode().onError === 'continueErrorOutput';
	const { results, firstError } = await runPool(
		items.length,
		run.concurrency,
		async (i) => await handler.execute.call(this, i, run),
		{ stopOnError: !continueOnFail, isCancelled: () => run.signal?.aborted === true },
	);
	this.getContext('node')[SPENT_KEY] = run.budget.spent;

	if (firstError && !continueOnFail) {
		// n8n's rule: the node fails as a whole. What was already paid for is named, so it is not lost.
		const error = toNodeError(this, firstError.error, firstError.index);
		const paid = describePaidFor(
			results.map((result, i) => rowMoney(result, i, i === firstError.index)),
		);
		if (paid)
			error.description = `${error.description ?? ''}\n\n${withoutSecrets(this, paid)}`.trim();
		throw forEditor(error);
	}
	const output: INodeExecutionData[] = [];
	results.forEach((result, i) => {
		if (!result) return;
		if (result.ok) output.push(...result.value);
		else if (result.error instanceof PartialDeliveryError) {
			output.push(...result.error.delivered);
			for (const lost of result.error.undelivered)
				output.push(errorItem(toNodeError(this, lost, i), i, toErrorOutput));
		} else output.push(errorItem(toNodeError(this, result.error, i), i, toErrorOutput));
	});
	return [output];
}

/** What one row has to show for its money, for the error of a node that fails as a whole. */
function rowMoney(
	result: Settled<INodeExecutionData[]> | undefined,
	index: number,
	isFailedRow: boolean,
): RowMoney {
	if (!result) return { index, images: [] };
	if (result.ok) return { index, images: result.value.map((item) => item.json) };
	const { error } = result;
	if (error instanceof PartialDeliveryError) {
		return {
			index,
			images: error.delivered.map((item) => item.json),
			lost: error.undelivered.map((lost) => lost.context),
		};
	}
	// The failed row's own task is already named in its error.
	const taskId = !isFailedRow && error instanceof NodeApiError ? error.context.taskId : undefined;
	return { index, images: [], openTaskId: typeof taskId === 'string' ? taskId : undefined };
}

async function createRunContext(
	this: IExecuteFunctions,
	operation: Operation,
): Promise<RunContext> {
	let runOptions;
	try {
		runOptions = readRunOptions(this.getNodeParameter('options', 0, {}) as IDataObject);
	} catch (error) {
		throw forEditor(toNodeError(this, error, 0));
	}
	let baseUrl = '';
	if (operation !== 'estimateCost') {
		const credentials = await this.getCredentials(CREDENTIAL_NAME);
		keepSecretsOut(this, [credentials.apiKey]);
		const normalised = normaliseBaseUrl(credentials.baseUrl);
		if (!normalised) {
			throw new NodeOperationError(this.getNode(), INVALID_BASE_URL.message, {
				description: INVALID_BASE_URL.description,
			});
		}
		baseUrl = normalised;
	}
	const spent = Number(this.getContext('node')[SPENT_KEY] ?? 0);
	const executionId = this.getExecutionId();
	const runIndex = runIndexOf(this);
	return {
		baseUrl,
		concurrency: operation === 'estimateCost' ? 1 : runOptions.concurrency,
		maxRetries: runOptions.maxRetries,
		gates: new RateGates(),
		budget: new BudgetGuard(runOptions.maxCostPerExecution, Number.isFinite(spent) ? spent : 0),
		signal: cancelSignal(this),
		idempotencyScope: `${executionId}:${this.getNode().id ?? this.getNode().name}:` + `${runIndex}`,
		// Without an execution ID (never seen in n8n), the time keeps names apart across executions.
		fileNameScope:
			`${executionId || Date.now().toString(36)}` + (runIndex > 0 ? `-run${runIndex}` : ''),
	};
}

/**
 * Which run of this node in the execution (Loop Over Items batches and agent tool calls count up).
 */
function runIndexOf(ctx: IExecuteFunctions): number {
	const runIndex = (ctx.getWorkflowDataProxy(0) as { $runIndex?: unknown }).$runIndex;
	return typeof runIndex === 'number' ? runIndex : 0;
}
