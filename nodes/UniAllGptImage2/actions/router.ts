import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { BudgetExceededError, BudgetGuard } from '../helpers/budget';
import { CREDENTIAL_NAME, type Operation } from '../helpers/contract';
import { readRunOptions } from '../helpers/options';
import { CancelledError } from '../helpers/pause';
import { runPool } from '../helpers/pool';
import { RateGate } from '../helpers/rateGate';
import { InputError } from '../helpers/request';
import { cancelSignal, type RunContext } from '../helpers/runContext';
import { normaliseBaseUrl } from '../helpers/urls';
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
	if (!handler) throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not supported`);

	const run = await createRunContext.call(this, operation);
	const continueOnFail = this.continueOnFail();
	const { results, firstError } = await runPool(
		items.length,
		run.concurrency,
		async (i) => await handler.execute.call(this, i, run),
		{ stopOnError: !continueOnFail, isCancelled: () => run.signal?.aborted === true },
	);
	this.getContext('node')[SPENT_KEY] = run.budget.spent;

	if (firstError && !continueOnFail) throw toNodeError(this, firstError.error, firstError.index);
	const output: INodeExecutionData[] = [];
	results.forEach((result, i) => {
		if (!result) return;
		if (result.ok) output.push(...result.value);
		else output.push(errorItem(toNodeError(this, result.error, i), i));
	});
	return [output];
}

async function createRunContext(this: IExecuteFunctions, operation: Operation): Promise<RunContext> {
	let runOptions;
	try {
		runOptions = readRunOptions(this.getNodeParameter('options', 0, {}) as IDataObject);
	} catch (error) {
		throw toNodeError(this, error, 0);
	}
	let baseUrl = '';
	if (operation !== 'estimateCost') {
		const credentials = await this.getCredentials(CREDENTIAL_NAME);
		const normalised = normaliseBaseUrl(credentials.baseUrl);
		if (!normalised) {
			throw new NodeOperationError(this.getNode(), 'The Base URL in the UniAll AI API credential is not a valid http(s) URL', {
				description: 'Open the credential and set Base URL to e.g. https://api.uniall.ai',
			});
		}
		baseUrl = normalised;
	}
	const spent = Number(this.getContext('node')[SPENT_KEY] ?? 0);
	return {
		baseUrl,
		concurrency: operation === 'estimateCost' ? 1 : runOptions.concurrency,
		maxRetries: runOptions.maxRetries,
		gate: new RateGate(),
		budget: new BudgetGuard(runOptions.maxCostPerExecution, Number.isFinite(spent) ? spent : 0),
		signal: cancelSignal(this),
	};
}

/** Every failure leaves as an n8n error that names the row; API errors keep their mapped words. */
function toNodeError(ctx: IExecuteFunctions, error: unknown, itemIndex: number): NodeApiError | NodeOperationError {
	const row = `Row ${itemIndex + 1}`;
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		if (!error.message.startsWith(row)) error.message = `${row}: ${error.message}`;
		return error;
	}
	if (error instanceof InputError || error instanceof BudgetExceededError) {
		return new NodeOperationError(ctx.getNode(), `${row}: ${error.message}`, {
			itemIndex,
			description:
				error instanceof BudgetExceededError
					? 'Raise the Max Cost per Execution option, or run fewer items. Nothing was submitted for this item.'
					: `Check the "${error.field}" parameter of the node for this item. Nothing was sent to UniAll.`,
		});
	}
	if (error instanceof CancelledError) return new NodeOperationError(ctx.getNode(), error.message, { itemIndex });
	const message = error instanceof Error ? error.message : String(error);
	return new NodeOperationError(ctx.getNode(), `${row}: ${message}`, { itemIndex });
}

function errorItem(error: NodeApiError | NodeOperationError, itemIndex: number): INodeExecutionData {
	const json: IDataObject = { error: error.message };
	if (error.description) json.errorDescription = error.description;
	const reason = error.context?.reason;
	if (typeof reason === 'string') json.errorReason = reason;
	if (error instanceof NodeApiError && error.httpCode) json.httpCode = error.httpCode;
	return { json, pairedItem: { item: itemIndex } };
}
