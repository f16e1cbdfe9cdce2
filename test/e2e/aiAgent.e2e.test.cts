/**
 * UniAll GPT Image-2 as a tool of n8n's AI Agent, in a real n8n: Manual Trigger -> AI Agent, whose
 * chat model (n8n's OpenAI Chat Model node) talks to the stand-in's scripted chat route. The
 * "model" calls the UniAll tool with a prompt of its choosing, then repeats the tool's imageUrl
 * and cost. Asserts on what UniAll received, what the model received, and what the agent output.
 */
import { CHAT_TOOL_PROMPT, messageText } from '../../tools/stand-in/chat.cjs';
import { useRealN8n } from './realN8nSession.cjs';
import { agentWorkflow, modelPromptTool } from './workflows.cjs';

const session = useRealN8n();
const openAi = { id: 'uniallE2eOpenAi1', name: 'OpenAI (stand-in chat model)' };

beforeAll(async () => {
	// The OpenAI credential's Base URL ("url") points at the stand-in, which speaks /v1/chat/completions.
	await session.n8n.importCredentials([
		{
			...openAi,
			type: 'openAiApi',
			data: { apiKey: 'test-uniall-key', url: `${session.api.url}/v1` },
		},
	]);
});

describe('UniAll GPT Image-2 as an AI Agent tool', () => {
	it('the agent calls the tool with the prompt the model chose, once, and answers with the image URL and cost', async () => {
		const result = await session.runWorkflow(
			agentWorkflow('e2e ai agent tool', {
				task: 'Make a product picture of a red bicycle and tell me where it is and what it cost.',
				openAi,
				uniall: session.good,
				toolParameters: modelPromptTool,
			}),
		);
		expect(result.error).toBeUndefined();

		// 1. UniAll got exactly one generation, with the prompt the model chose.
		expect(session.api.count('generations')).toBe(1);
		const generation = session.api.log.find((e) => e.route === 'generations');
		expect((generation?.body as { prompt: string }).prompt).toBe(CHAT_TOOL_PROMPT);

		// The tool's own output: one image, its URL and cost.
		const toolRuns = result.runData['UniAll Image'] ?? [];
		expect(toolRuns).toHaveLength(1);
		const toolOut = (
			toolRuns[0].data as unknown as Record<string, Array<Array<{ json: Record<string, unknown> }>>>
		).ai_tool[0][0].json;
		const { imageUrl, cost } = readToolResponse(toolOut);
		expect(imageUrl).toMatch(new RegExp(`^${session.api.url}/files/`));
		expect(cost).toBe(0.01836);

		// 2. The model was asked twice: once with the tool offered, once with the tool result, which
		// is JSON text (the image URL and cost), never the image bytes.
		const chats = session.api.log.filter((e) => e.route === 'chat');
		expect(chats).toHaveLength(2);
		const offered =
			(
				chats[0].body as {
					tools?: Array<{
						function: { name: string; parameters: { properties: Record<string, unknown> } };
					}>;
				}
			).tools ?? [];
		expect(offered).toHaveLength(1);
		expect(Object.keys(offered[0].function.parameters.properties)).toContain('prompt');
		const messages = (chats[1].body as { messages: Array<{ role: string; content: unknown }> })
			.messages;
		const toolMessage = messageText(messages.find((m) => m.role === 'tool')?.content);
		expect(toolMessage).toContain(`"imageUrl":"${imageUrl}"`);
		expect(toolMessage).toContain('"cost":0.01836');
		expect(toolMessage).not.toMatch(/base64|data:image|iVBORw0KGgo/);

		// 3. The agent's final answer carries the URL and the cost.
		const [answer] = result.items('AI Agent');
		expect(answer.json.output).toBe(`Your image is ready: ${imageUrl} (cost: $0.01836)`);
	});
});

/** The tool node's ai_tool output item: `{ response: [...] }` or the items themselves, depending on the n8n version. */
function readToolResponse(json: Record<string, unknown>): { imageUrl?: string; cost?: number } {
	const text = JSON.stringify(json);
	const imageUrl = /"imageUrl":"([^"]+)"/.exec(text)?.[1];
	const cost = Number(/"cost":([0-9.]+)/.exec(text)?.[1]);
	return { imageUrl, cost };
}
