/**
 * The n8n side of the error catalogue (helpers/errors.ts): n8n errors built from its words, every
 * failure turned into an n8n error that names the row, and the error items of Continue On Fail.
 */
import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type JsonObject,
} from 'n8n-workflow';

import {
	BUDGET_EXCEEDED_DESCRIPTION,
	BudgetExceededError,
	CancelledError,
	describeInputError,
	editorHtml,
	InputError,
	redactSecrets,
	withItem,
	type ApiFailure,
	type MappedError,
} from '../helpers/errors';

/**
 * An API failure in user words. It is built from our own summary of the failure (status, code,
 * reason), never from the HTTP client's error, which carries request headers and so the key.
 */
export function uniallApiError(
	ctx: IExecuteFunctions,
	unredacted: MappedError,
	itemIndex: number,
	failure: ApiFailure = {},
): NodeApiError {
	// The words may quote a server, and a server may echo the key.
	const secrets = secretsOf.get(ctx);
	const mapped = {
		...unredacted,
		message: redactSecrets(unredacted.message, secrets),
		description: redactSecrets(unredacted.description, secrets),
	};
	const response: JsonObject = { message: mapped.message, errorReason: mapped.reason };
	if (failure.status !== undefined) response.httpCode = failure.status;
	// Not under `code`: n8n would swap our message for its generic text for socket error codes.
	if (failure.networkCode) response.networkCode = failure.networkCode;
	const error = new NodeApiError(ctx.getNode(), response, {
		message: mapped.message,
		description: mapped.description,
		httpCode: mapped.httpCode,
		itemIndex,
	});
	error.context.reason = mapped.reason;
	failures.set(error, failure);
	return error;
}

/** The run's secrets (the credential's key), kept beside the execution context. */
const secretsOf = new WeakMap<object, string[]>();

/** Registers the secrets redacted from every error of this execution context. */
export function keepSecretsOut(ctx: IExecuteFunctions, secrets: unknown[]): void {
	secretsOf.set(
		ctx,
		secrets.filter((secret): secret is string => typeof secret === 'string' && secret !== ''),
	);
}

/**
 * A text without the run's secrets: a result URL that a gateway signed with the caller's key
 * (`?api_key=…`) is shown (imageUrl, lost-image words, the paid-for list) with the key redacted;
 * only the download itself uses the URL as given.
 */
export function withoutSecrets(ctx: IExecuteFunctions, text: string): string {
	return redactSecrets(text, secretsOf.get(ctx));
}

/**
 * What UniAll answered, kept beside (not inside) the error so it is never serialised into output.
 */
const failures = new WeakMap<Error, ApiFailure>();

/** The HTTP status and body behind an error from uniallApiError(), e.g. to read a 400's reason. */
export function apiFailureOf(error: unknown): ApiFailure | undefined {
	return error instanceof Error ? failures.get(error) : undefined;
}

/**
 * A row whose images were generated (and so billed) but not all handed on: `delivered` are the
 * items that arrived, `undelivered` one error per lost image (its URL, reason and cost in
 * `context`), `rowError` the whole story for when the node fails as a whole.
 */
export class PartialDeliveryError extends Error {
	constructor(
		readonly delivered: INodeExecutionData[],
		readonly undelivered: NodeApiError[],
		readonly billedUsd: number,
		readonly rowError: NodeApiError,
	) {
		super(rowError.message);
		this.name = 'PartialDeliveryError';
	}
}

/**
 * Every failure leaves as an n8n error that names the item as n8n does; API errors keep their
 * mapped words.
 */
export function toNodeError(
	ctx: IExecuteFunctions,
	error: unknown,
	itemIndex: number,
): NodeApiError | NodeOperationError {
	if (error instanceof PartialDeliveryError) return toNodeError(ctx, error.rowError, itemIndex);
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		error.message = withItem(error.message, itemIndex);
		return error;
	}
	if (error instanceof InputError || error instanceof BudgetExceededError) {
		return new NodeOperationError(ctx.getNode(), withItem(error.message, itemIndex), {
			itemIndex,
			description:
				error instanceof BudgetExceededError
					? BUDGET_EXCEEDED_DESCRIPTION
					: describeInputError(error),
		});
	}
	if (error instanceof CancelledError)
		return new NodeOperationError(ctx.getNode(), error.message, { itemIndex });
	const message = error instanceof Error ? error.message : String(error);
	return new NodeOperationError(ctx.getNode(), withItem(message, itemIndex), { itemIndex });
}

/**
 * The error that fails the node, as n8n's editor shows it: the description's lines as HTML line
 * breaks (error items keep the plain lines).
 */
export function forEditor<E extends NodeApiError | NodeOperationError>(error: E): E {
	if (error.description) error.description = editorHtml(error.description);
	return error;
}

/**
 * A failed row (or lost image) as an item whose JSON says what happened and, where known, what
 * was paid for (task, image URL, cost). n8n routes an item to the error output only when its
 * JSON holds nothing but `error` and `message` (an item-level `error` would make n8n replace the
 * JSON with the bare message), so there the details sit inside `error`; n8n then merges the
 * input row's fields in. On the regular output the fields stay flat, as they always were.
 */
export function errorItem(
	error: NodeApiError | NodeOperationError,
	itemIndex: number,
	toErrorOutput: boolean,
): INodeExecutionData {
	const reason = error.context?.reason;
	const httpCode = error instanceof NodeApiError ? error.httpCode : undefined;
	const money: IDataObject = {};
	for (const key of MONEY_FIELDS) {
		const value = error.context?.[key];
		if (value !== undefined && value !== null) money[key] = value as IDataObject[string];
	}
	if (toErrorOutput) {
		const details: IDataObject = {
			message: error.message,
			description: error.description ?? null,
			reason: typeof reason === 'string' ? reason : null,
			httpCode: httpCode ?? null,
			...money,
		};
		return { json: { message: error.message, error: details }, pairedItem: { item: itemIndex } };
	}
	const json: IDataObject = { error: error.message };
	if (error.description) json.errorDescription = error.description;
	if (typeof reason === 'string') json.errorReason = reason;
	if (httpCode) json.httpCode = httpCode;
	return { json: { ...json, ...money }, pairedItem: { item: itemIndex } };
}

/** Error context fields that help recover what was paid for, copied onto error items. */
const MONEY_FIELDS = ['taskId', 'imageUrl', 'imageIndex', 'cost', 'billed'] as const;
