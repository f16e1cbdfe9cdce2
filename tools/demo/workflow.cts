/**
 * The demo workflow: spreadsheet rows (a CSV, read with n8n's own file and extract nodes) ->
 * UniAll GPT Image-2 (prompt built from the row) -> each image written to disk.
 */
export const DEMO_WORKFLOW_ID = 'uniallDemoCsv001';
export const NODE_NAME = 'UniAll GPT Image-2';
export const WRITE_NODE = 'Write Image to Disk';

export function credentialRef(id: string, name: string) {
	return { uniAllApi: { id, name } };
}

export function demoWorkflow(options: { csvPath: string; outputDir: string; credential: { id: string; name: string }; pollInterval?: number }) {
	return {
		id: DEMO_WORKFLOW_ID,
		name: 'UniAll demo: product images from spreadsheet rows',
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{ id: 'd1', name: 'Run Demo', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: 'd2',
				name: 'Read Rows CSV',
				type: 'n8n-nodes-base.readWriteFile',
				typeVersion: 1,
				position: [220, 0],
				parameters: { operation: 'read', fileSelector: options.csvPath, options: {} },
			},
			{
				id: 'd3',
				name: 'Rows from CSV',
				type: 'n8n-nodes-base.extractFromFile',
				typeVersion: 1,
				position: [440, 0],
				parameters: { operation: 'csv', options: { headerRow: true } },
			},
			{
				id: 'd4',
				name: NODE_NAME,
				type: 'n8n-nodes-uniall.uniAllGptImage2',
				typeVersion: 1,
				position: [660, 0],
				parameters: {
					operation: 'textToImage',
					prompt: '=Product photo of {{ $json.product }}, {{ $json.style }} (row {{ $json.row }})',
					aspectRatio: '={{ $json.aspect_ratio }}',
					resolution: '={{ $json.resolution }}',
					numImages: 1,
					options: options.pollInterval ? { pollInterval: options.pollInterval } : {},
				},
				credentials: credentialRef(options.credential.id, options.credential.name),
			},
			{
				id: 'd5',
				name: WRITE_NODE,
				type: 'n8n-nodes-base.readWriteFile',
				typeVersion: 1,
				position: [880, 0],
				parameters: {
					operation: 'write',
					fileName: `=${options.outputDir}/row-{{ $('Rows from CSV').item.json.row }}-{{ $json.imageIndex + 1 }}.{{ $binary.data.fileExtension }}`,
					dataPropertyName: 'data',
					options: {},
				},
			},
		],
		connections: {
			'Run Demo': { main: [[{ node: 'Read Rows CSV', type: 'main', index: 0 }]] },
			'Read Rows CSV': { main: [[{ node: 'Rows from CSV', type: 'main', index: 0 }]] },
			'Rows from CSV': { main: [[{ node: NODE_NAME, type: 'main', index: 0 }]] },
			[NODE_NAME]: { main: [[{ node: WRITE_NODE, type: 'main', index: 0 }]] },
		},
	};
}
