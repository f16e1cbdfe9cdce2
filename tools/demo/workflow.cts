/**
 * The demo workflow: spreadsheet rows (a CSV, read with n8n's own file and extract nodes) ->
 * UniAll GPT Image-2 (prompt built from the row) -> each image written to disk, named after its row.
 */
import { csvToUniAllWorkflow, UNIALL_NODE_NAME, type CredentialRef } from '../n8n/workflow.cjs';

export const DEMO_WORKFLOW_ID = 'uniallDemoCsv001';
export const NODE_NAME = UNIALL_NODE_NAME;
export const WRITE_NODE = 'Write Image to Disk';

export function demoWorkflow(options: {
	csvPath: string;
	outputDir: string;
	credential: CredentialRef;
	pollInterval?: number;
}) {
	return csvToUniAllWorkflow(
		'UniAll demo: product images from spreadsheet rows',
		{
			csvPath: options.csvPath,
			names: { trigger: 'Run Demo', read: 'Read Rows CSV', rows: 'Rows from CSV' },
			parameters: {
				operation: 'textToImage',
				prompt: '=Product photo of {{ $json.product }}, {{ $json.style }} (row {{ $json.row }})',
				aspectRatio: '={{ $json.aspect_ratio }}',
				resolution: '={{ $json.resolution }}',
				numImages: 1,
				options: options.pollInterval ? { pollInterval: options.pollInterval } : {},
			},
			credential: options.credential,
			write: {
				dir: options.outputDir,
				fileName:
					"row-{{ $('Rows from CSV').item.json.row }}-{{ $json.imageIndex + 1 }}.{{ $binary.data.fileExtension }}",
				name: WRITE_NODE,
			},
		},
		DEMO_WORKFLOW_ID,
	);
}
