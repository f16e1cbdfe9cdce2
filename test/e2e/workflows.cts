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

/**
 * Manual Trigger -> n8n's AI Agent, with the OpenAI Chat Model on `ai_languageModel` and the
 * UniAll tool variant (`…Tool`, which n8n generates for `usableAsTool` nodes) on `ai_tool`.
 * Versions every n8n in tools/n8n/versions.cts has: Agent 3, OpenAI Chat Model 1.2 (1.3+ calls
 * the Responses API by default, 1.2 calls /chat/completions).
 */
export function agentWorkflow(name: string, options: { task: string; openAi: { id: string; name: string }; uniall: { id: string; name: string }; toolParameters: Record<string, unknown> }) {
	const wf = workflow(name, [trigger(), node('AI Agent', '@n8n/n8n-nodes-langchain.agent', 3, { promptType: 'define', text: options.task, options: {} })]);
	const model = node('OpenAI Chat Model', '@n8n/n8n-nodes-langchain.lmChatOpenAi', 1.2, { model: { __rl: true, mode: 'id', value: 'gpt-4o-mini' }, options: {} }, { credentials: { openAiApi: options.openAi } });
	const tool = node('UniAll Image', `${UNIALL}Tool`, 1, options.toolParameters, { credentials: { uniAllApi: options.uniall } });
	wf.nodes.push(model, tool);
	wf.connections[model.name] = { ai_languageModel: [[{ node: 'AI Agent', type: 'ai_languageModel', index: 0 }]] };
	wf.connections[tool.name] = { ai_tool: [[{ node: 'AI Agent', type: 'ai_tool', index: 0 }]] };
	return wf;
}
