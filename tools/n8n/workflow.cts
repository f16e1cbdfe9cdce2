/**
 * Builders for n8n workflow JSON (what `n8n import:workflow` takes): nodes, a chain linking them in
 * a line, and THE workflow of this package, spreadsheet rows (a CSV read with n8n's own file and
 * extract nodes) -> UniAll GPT Image-2 -> each image written to disk. The demo, `npm start`, the
 * benchmark and the e2e tests all build it here.
 */
import { OPTION_LIMITS } from '../../nodes/UniAllGptImage2/helpers/contract';

export const UNIALL = 'n8n-nodes-uniall.uniAllGptImage2';
export const UNIALL_NODE_NAME = 'UniAll GPT Image-2';

export type WorkflowNode = {
	id: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Record<string, unknown>;
	credentials?: Record<string, unknown>;
	onError?: string;
	alwaysOutputData?: boolean;
	/** Trigger nodes: without it, n8n prefixes even a full-path webhook with `<workflow id>/<node name>/`. */
	webhookId?: string;
};

export type CredentialRef = { id: string; name: string };

let workflowCounter = 0;
let nodeCounter = 0;

/** Node ids are unique in the process, so nodes added to a workflow later never collide. */
export const node = (
	name: string,
	type: string,
	typeVersion: number,
	parameters: Record<string, unknown>,
	extra: Partial<WorkflowNode> = {},
): WorkflowNode => ({
	id: `n${++nodeCounter}`,
	name,
	type,
	typeVersion,
	position: [nodeCounter * 220, 0],
	parameters,
	...extra,
});

/** The nodes linked in a line, laid out left to right; `id` defaults to a new 16-character one. */
export function workflow(
	name: string,
	nodes: WorkflowNode[],
	id = `uniallE2e${String(++workflowCounter).padStart(7, '0')}`,
) {
	const connections: Record<string, unknown> = {};
	for (let i = 0; i < nodes.length - 1; i++) {
		connections[nodes[i].name] = { main: [[{ node: nodes[i + 1].name, type: 'main', index: 0 }]] };
	}
	return { id, name, active: false, settings: { executionOrder: 'v1' }, nodes, connections };
}

export const trigger = (name = 'Start') => node(name, 'n8n-nodes-base.manualTrigger', 1, {});
export const readFile = (file: string, name = 'Read File') =>
	node(name, 'n8n-nodes-base.readWriteFile', 1, {
		operation: 'read',
		fileSelector: file,
		options: {},
	});
export const csvRows = (name = 'Rows') =>
	node(name, 'n8n-nodes-base.extractFromFile', 1, {
		operation: 'csv',
		options: { headerRow: true },
	});

/** Writes each item's `data` binary to `dir`; `fileName` is an n8n expression (without the leading `=`). */
export const writeImages = (
	dir: string,
	fileName = 'item-{{ $itemIndex }}.{{ $binary.data.fileExtension }}',
	name = 'Write Images',
) =>
	node(name, 'n8n-nodes-base.readWriteFile', 1, {
		operation: 'write',
		fileName: `=${dir}/${fileName}`,
		dataPropertyName: 'data',
		options: {},
	});

export const uniall = (
	parameters: Record<string, unknown>,
	credential: CredentialRef,
	extra: Partial<WorkflowNode> = {},
) =>
	node(String(extra.name ?? UNIALL_NODE_NAME), UNIALL, 1, parameters, {
		credentials: { uniAllApi: credential },
		...extra,
	});

/** Text to Image, one image of 1:1 at 1K per row, the prompt from the row's `prompt` column. */
/**
 * The fastest polling a user may set, which every test and tool workflow uses: the stand-in's
 * async jobs are done by the first status check, so no test needs a value no user may set.
 */
export const FASTEST_POLL_SECONDS = OPTION_LIMITS.pollIntervalSeconds.min;

export const rowTextToImage = (
	options: Record<string, unknown> = {},
	extra: Record<string, unknown> = {},
) => ({
	operation: 'textToImage',
	prompt: '={{ $json.prompt }}',
	aspectRatio: '1:1',
	resolution: '1K',
	numImages: 1,
	options,
	...extra,
});

export interface CsvToUniAllOptions {
	csvPath: string;
	parameters: Record<string, unknown>;
	credential: CredentialRef;
	/** The UniAll node's name and settings (e.g. `onError`). */
	uniall?: Partial<WorkflowNode>;
	/** Where the images go; without it the chain ends at the UniAll node. */
	write?: { dir: string; fileName?: string; name?: string };
	/** Names of the first three nodes (the demo's are visible in the editor). */
	names?: { trigger?: string; read?: string; rows?: string };
}

/** Manual Trigger -> read the CSV -> one item per row -> UniAll (-> write the images). */
export function csvToUniAllNodes(options: CsvToUniAllOptions): WorkflowNode[] {
	const { names = {}, write } = options;
	const nodes = [
		trigger(names.trigger),
		readFile(options.csvPath, names.read),
		csvRows(names.rows),
		uniall(options.parameters, options.credential, options.uniall),
	];
	if (write) nodes.push(writeImages(write.dir, write.fileName, write.name));
	// Left to right in the editor, whatever other workflows the process built before.
	nodes.forEach((n, i) => (n.position = [i * 220, 0]));
	return nodes;
}

export function csvToUniAllWorkflow(name: string, options: CsvToUniAllOptions, id?: string) {
	return workflow(name, csvToUniAllNodes(options), id);
}
