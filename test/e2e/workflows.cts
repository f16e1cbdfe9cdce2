/**
 * Small builders for the workflows the e2e tests import into the real n8n. The node builders, the
 * linear workflow() and the CSV rows -> UniAll -> files chain are tools/n8n/workflow.cts, shared with
 * the demo and the benchmark; what only the tests need is here.
 */
import {
	node,
	trigger,
	UNIALL,
	workflow,
	type WorkflowNode as Node,
} from '../../tools/n8n/workflow.cjs';
import { POLL_SECONDS } from '../helpers/parameters';

export {
	csvRows,
	csvToUniAllNodes,
	csvToUniAllWorkflow,
	node,
	readFile,
	rowTextToImage,
	trigger,
	UNIALL,
	uniall,
	workflow,
	writeImages,
} from '../../tools/n8n/workflow.cjs';

/**
 * The tool variant's parameters as the README's agent and MCP sections set them: the model (or MCP
 * client) fills the prompt; ratio, resolution and count stay fixed in the node.
 */
export const modelPromptTool = {
	operation: 'textToImage',
	prompt: "={{ $fromAI('prompt', 'What the image should show', 'string') }}",
	aspectRatio: '1:1',
	resolution: '1K',
	numImages: 1,
	options: { pollInterval: POLL_SECONDS },
};

export const wait = (seconds: number) =>
	node('Wait', 'n8n-nodes-base.wait', 1.1, { amount: seconds });

export const noOp = (name: string) => node(name, 'n8n-nodes-base.noOp', 1, {});

/**
 * A chain whose last node feeds each of its outputs into a node of its own: `outputs[1]` takes
 * n8n's error output when that node's On Error is "Continue (using error output)".
 */
export function branchedWorkflow(name: string, chain: Node[], outputs: Node[]) {
	const wf = workflow(name, [...chain, ...outputs]);
	const last = chain[chain.length - 1];
	for (const target of outputs) delete wf.connections[target.name];
	wf.connections[last.name] = {
		main: outputs.map((target) => [{ node: target.name, type: 'main', index: 0 }]),
	};
	return wf;
}

/** Loop Over Items (n8n's splitInBatches v3): output 0 is "done", output 1 "loop". */
export const loopOverItems = (batchSize: number) =>
	node('Loop Over Items', 'n8n-nodes-base.splitInBatches', 3, { batchSize, options: {} });

/**
 * A workflow whose connections are given explicitly, as [from, to, output of `from`, input of
 * `to`] (loops, branches, a Merge's second input).
 */
export function graph(
	name: string,
	nodes: Node[],
	links: Array<[string, string, number?, number?]>,
) {
	const wf = workflow(name, nodes);
	const connections: Record<
		string,
		{ main: Array<Array<{ node: string; type: 'main'; index: number }>> }
	> = {};
	for (const [from, to, output = 0, input = 0] of links) {
		const main = (connections[from] ??= { main: [] }).main;
		while (main.length <= output) main.push([]);
		main[output].push({ node: to, type: 'main', index: input });
	}
	return { ...wf, connections };
}

/**
 * Manual Trigger -> n8n's AI Agent, with the OpenAI Chat Model on `ai_languageModel` and the
 * UniAll tool variant (`…Tool`, which n8n generates for `usableAsTool` nodes) on `ai_tool`.
 * Versions every n8n in tools/n8n/versions.cts has: Agent 3, OpenAI Chat Model 1.2 (1.3+ calls
 * the Responses API by default, 1.2 calls /chat/completions).
 */
export function agentWorkflow(
	name: string,
	options: {
		task: string;
		openAi: { id: string; name: string };
		uniall: { id: string; name: string };
		toolParameters: Record<string, unknown>;
	},
) {
	const wf = workflow(name, [
		trigger(),
		node('AI Agent', '@n8n/n8n-nodes-langchain.agent', 3, {
			promptType: 'define',
			text: options.task,
			options: {},
		}),
	]);
	const model = node(
		'OpenAI Chat Model',
		'@n8n/n8n-nodes-langchain.lmChatOpenAi',
		1.2,
		{ model: { __rl: true, mode: 'id', value: 'gpt-4o-mini' }, options: {} },
		{ credentials: { openAiApi: options.openAi } },
	);
	const tool = node('UniAll Image', `${UNIALL}Tool`, 1, options.toolParameters, {
		credentials: { uniAllApi: options.uniall },
	});
	wf.nodes.push(model, tool);
	wf.connections[model.name] = {
		ai_languageModel: [[{ node: 'AI Agent', type: 'ai_languageModel', index: 0 }]],
	};
	wf.connections[tool.name] = { ai_tool: [[{ node: 'AI Agent', type: 'ai_tool', index: 0 }]] };
	return wf;
}

/**
 * n8n's IF node (typeVersion 2, in every n8n of tools/n8n/versions.cts): output 0 ("true") when
 * the number `left` (an expression) is at most `max`, output 1 ("false") otherwise.
 */
export const ifAtMost = (name: string, left: string, max: number) =>
	node(name, 'n8n-nodes-base.if', 2, {
		conditions: {
			options: { caseSensitive: true, leftValue: '', typeValidation: 'strict' },
			conditions: [
				{
					id: 'at-most',
					leftValue: left,
					rightValue: max,
					operator: { type: 'number', operation: 'lte' },
				},
			],
			combinator: 'and',
		},
		options: {},
	});

/**
 * n8n's MCP Server Trigger (typeVersion 2: Streamable HTTP at `/mcp/<path>`, in every n8n of
 * tools/n8n/versions.cts) with the UniAll tool variant on its `ai_tool` input. The MCP tool's name
 * is the tool node's name with spaces as `_`. `bearer` switches the trigger's Authentication to
 * Bearer Auth with that httpBearerAuth credential.
 */
export function mcpServerWorkflow(
	name: string,
	options: {
		path: string;
		uniall: { id: string; name: string };
		toolParameters: Record<string, unknown>;
		bearer?: { id: string; name: string };
	},
) {
	const mcp = node(
		'MCP Server Trigger',
		'@n8n/n8n-nodes-langchain.mcpTrigger',
		2,
		{ path: options.path, authentication: options.bearer ? 'bearerAuth' : 'none' },
		{
			webhookId: `${options.path}-hook`,
			...(options.bearer ? { credentials: { httpBearerAuth: options.bearer } } : {}),
		},
	);
	const tool = node('UniAll Image', `${UNIALL}Tool`, 1, options.toolParameters, {
		credentials: { uniAllApi: options.uniall },
	});
	const wf = workflow(name, [mcp, tool]);
	wf.connections = { [tool.name]: { ai_tool: [[{ node: mcp.name, type: 'ai_tool', index: 0 }]] } };
	return wf;
}
