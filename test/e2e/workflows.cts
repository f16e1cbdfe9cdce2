/** Small builders for the workflows the e2e tests import into the real n8n. */
export const UNIALL = 'n8n-nodes-uniall.uniAllGptImage2';

type Node = { id: string; name: string; type: string; typeVersion: number; position: [number, number]; parameters: Record<string, unknown>; credentials?: Record<string, unknown>; onError?: string };

let counter = 0;

export function workflow(name: string, nodes: Node[]) {
	const id = `uniallE2e${String(++counter).padStart(7, '0')}`;
	const connections: Record<string, unknown> = {};
	for (let i = 0; i < nodes.length - 1; i++) {
		connections[nodes[i].name] = { main: [[{ node: nodes[i + 1].name, type: 'main', index: 0 }]] };
	}
	return { id, name, active: false, settings: { executionOrder: 'v1' }, nodes, connections };
}

let nodeCounter = 0;
const node = (name: string, type: string, typeVersion: number, parameters: Record<string, unknown>, extra: Partial<Node> = {}): Node => ({
	id: `n${++nodeCounter}`,
	name,
	type,
	typeVersion,
	position: [nodeCounter * 220, 0],
	parameters,
	...extra,
});

export const trigger = () => node('Start', 'n8n-nodes-base.manualTrigger', 1, {});
export const readFile = (file: string, name = 'Read File') => node(name, 'n8n-nodes-base.readWriteFile', 1, { operation: 'read', fileSelector: file, options: {} });
export const csvRows = () => node('Rows', 'n8n-nodes-base.extractFromFile', 1, { operation: 'csv', options: { headerRow: true } });
export const writeImages = (dir: string) =>
	node('Write Images', 'n8n-nodes-base.readWriteFile', 1, {
		operation: 'write',
		fileName: `=${dir}/item-{{ $itemIndex }}.{{ $binary.data.fileExtension }}`,
		dataPropertyName: 'data',
		options: {},
	});
export const wait = (seconds: number) => node('Wait', 'n8n-nodes-base.wait', 1.1, { amount: seconds });
export const uniall = (parameters: Record<string, unknown>, credential: { id: string; name: string }, extra: Partial<Node> = {}) =>
	node(String(extra.name ?? 'UniAll GPT Image-2'), UNIALL, 1, parameters, { credentials: { uniAllApi: credential }, ...extra });

export const noOp = (name: string) => node(name, 'n8n-nodes-base.noOp', 1, {});

/**
 * A chain whose last node feeds each of its outputs into a node of its own: `outputs[1]` takes
 * n8n's error output when that node's On Error is "Continue (using error output)".
 */
export function branchedWorkflow(name: string, chain: Node[], outputs: Node[]) {
	const wf = workflow(name, [...chain, ...outputs]);
	const last = chain[chain.length - 1];
	for (const target of outputs) delete wf.connections[target.name];
	wf.connections[last.name] = { main: outputs.map((target) => [{ node: target.name, type: 'main', index: 0 }]) };
	return wf;
}

/** Loop Over Items (n8n's splitInBatches v3): output 0 is "done", output 1 "loop". */
export const loopOverItems = (batchSize: number) => node('Loop Over Items', 'n8n-nodes-base.splitInBatches', 3, { batchSize, options: {} });

/** A workflow whose connections are given explicitly, as [from, to, output of `from`] (loops, branches). */
export function graph(name: string, nodes: Node[], links: Array<[string, string, number?]>) {
	const wf = workflow(name, nodes);
	const connections: Record<string, { main: Array<Array<{ node: string; type: 'main'; index: number }>> }> = {};
	for (const [from, to, output = 0] of links) {
		const main = (connections[from] ??= { main: [] }).main;
		while (main.length <= output) main.push([]);
		main[output].push({ node: to, type: 'main', index: 0 });
	}
	return { ...wf, connections };
}
