/**
 * Suite step 6 (2.x lines; tools/browser/matrix.cts): UniAll GPT Image-2 as an AI Agent tool on
 * the canvas. The workflow starts as n8n's own nodes (Chat Trigger -> AI Agent with the OpenAI
 * Chat Model on the stand-in's scripted chat route); the user attaches the tool from the agent's
 * Tools +, lets the model define its prompt, closes the panel and sends a chat message. The answer
 * in the chat names the image and its cost; the stand-in saw one generation, asked by n8n with the
 * prompt the model chose, and the model got the tool's result from n8n.
 */
import {
	attachUniAllTool,
	chatAgentWorkflow,
	chatAnswer,
	chatModelCredential,
	closePanel,
	letModelDefine,
	loggedOutput,
	sendChatMessage,
	TOOL_NODE_NAME,
	useCredential,
} from '../../tools/browser/agent.cjs';
import { step } from '../../tools/browser/editor.cjs';
import { CHAT_TOOL_PROMPT, messageText } from '../../tools/stand-in/chat.cjs';
import { STAND_IN_CREDENTIAL } from '../../tools/start.cjs';
import type { RequestLogEntry } from '../../tools/stand-in/server.cjs';
import { editorSession } from './session.cjs';

const session = editorSession();
const { url: URL, version: VERSION, standInUrl: STAND_IN } = session;
const COST = '0.01836';

/** What the stand-in received from entry `from` on (the editor's stand-in serves every file). */
async function standInLog(from = 0): Promise<RequestLogEntry[]> {
	const res = await session.editor.page.request.get(`${STAND_IN}/__admin/log`);
	return ((await res.json()) as RequestLogEntry[]).slice(from);
}

describe(`n8n ${VERSION}: UniAll GPT Image-2 as an AI Agent tool on the canvas`, () => {
	it('attached from the Tools +, the prompt left to the model: the chat answer names the image and its cost', async () => {
		const { page } = session.editor;
		const before = (await standInLog()).length;

		await step(session.editor, `${VERSION}-agent-attach-tool`, async () => {
			const openAi = await chatModelCredential(page, URL, STAND_IN);
			const ndv = await attachUniAllTool(page, URL, chatAgentWorkflow('agent journey', openAi));
			// The stand-in's credential (other files add UniAll credentials n8n may preselect).
			await useCredential(ndv, STAND_IN_CREDENTIAL);
			const credential = ndv.getByTestId('node-credentials-select').locator('input').first();
			expect(await credential.inputValue()).toBe(STAND_IN_CREDENTIAL.name);
			await letModelDefine(ndv, 'prompt');
			await closePanel(page, TOOL_NODE_NAME);
		});

		const answer = await step(session.editor, `${VERSION}-agent-chat`, async () => {
			await sendChatMessage(page, 'Make a picture of a red bicycle for the shop');
			return await chatAnswer(page);
		});

		await step(session.editor, `${VERSION}-agent-answer`, async () => {
			const imageUrl = new RegExp(`${STAND_IN}/files/[\\w-]+\\.png`).exec(answer)?.[0];
			expect(answer).toBe(`Your image is ready: ${imageUrl} (cost: $${COST})`);

			const log = await standInLog(before);
			// Exactly one generation was billed, with the prompt the model chose (n8n passed the
			// tool call's argument into the node), and its image is the one the answer names.
			const generations = log.filter((e) => e.route === 'generations');
			expect(generations.map((e) => [e.accepted, (e.body as { prompt?: string }).prompt])).toEqual([
				[true, CHAT_TOOL_PROMPT],
			]);
			expect(log.filter((e) => e.route === 'image').map((e) => `${STAND_IN}${e.path}`)).toEqual([
				imageUrl,
			]);
			// The model was asked twice: the tool offered, then the tool's result as n8n handed it back.
			const chats = log.filter((e) => e.route === 'chat');
			expect(chats).toHaveLength(2);
			const messages = (chats[1].body as { messages: Array<{ role: string; content: unknown }> })
				.messages;
			const toolResult = messageText(messages.find((m) => m.role === 'tool')?.content);
			expect(toolResult).toContain(`"imageUrl":"${imageUrl}"`);
			expect(toolResult).toContain(`"cost":${COST}`);

			// The execution's logs list the tool's run with its item.
			const toolOutput = await loggedOutput(page, TOOL_NODE_NAME);
			expect(toolOutput).toContain(imageUrl);
			expect(toolOutput).toContain(COST);
		});
	});
});
