/**
 * The production-shaped workflow of the queue-mode run: a Webhook takes a list of rows over HTTP,
 * Split Out makes one item per row, and UniAll GPT Image-2 generates one image per row. The webhook
 * answers when the last node finishes, so the caller learns how the execution ended.
 */
import { FASTEST_POLL_SECONDS, rowTextToImage } from '../n8n/workflow.cjs';

export const QUEUE_CREDENTIAL = { id: 'uniallQueueCred01', name: 'UniAll (queue stand-in)' };
export const NODE_NAME = 'UniAll GPT Image-2';

export function webhookWorkflow(
	id: string,
	webhookPath: string,
	uniallParameters: Record<string, unknown>,
	onError?: string,
	credential = QUEUE_CREDENTIAL,
) {
	return {
		id,
		name: `queue ${webhookPath}`,
		active: true,
		settings: {
			executionOrder: 'v1',
			saveDataSuccessExecution: 'all',
			saveDataErrorExecution: 'all',
		},
		nodes: [
			{
				id: `${id}-w`,
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: `${id}-hook`,
				parameters: {
					httpMethod: 'POST',
					path: webhookPath,
					responseMode: 'lastNode',
					responseData: 'allEntries',
					options: {},
				},
			},
			{
				id: `${id}-s`,
				name: 'Rows',
				type: 'n8n-nodes-base.splitOut',
				typeVersion: 1,
				position: [220, 0],
				parameters: { fieldToSplitOut: 'body.rows', options: {} },
			},
			{
				id: `${id}-u`,
				name: NODE_NAME,
				type: 'n8n-nodes-uniall.uniAllGptImage2',
				typeVersion: 1,
				position: [440, 0],
				parameters: uniallParameters,
				credentials: { uniAllApi: credential },
				...(onError ? { onError } : {}),
			},
		],
		connections: {
			Webhook: { main: [[{ node: 'Rows', type: 'main', index: 0 }]] },
			Rows: { main: [[{ node: NODE_NAME, type: 'main', index: 0 }]] },
		},
	};
}

/** One 1:1 image per row, at the row's `resolution` (1K when it has none). */
export const textToImage = (options: Record<string, unknown> = {}) =>
	rowTextToImage(
		{ pollInterval: FASTEST_POLL_SECONDS, ...options },
		{ resolution: '={{ $json.resolution ?? "1K" }}' },
	);

/** Rows for one call: prompts name the execution and the row, so the stand-in log tells them apart. */
export const rows = (tag: string, count: number, extra: Record<string, unknown> = {}) =>
	Array.from({ length: count }, (_, i) => ({ prompt: `${tag} row ${i + 1}`, ...extra }));
