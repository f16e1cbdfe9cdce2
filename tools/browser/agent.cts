/**
 * An AI Agent on the canvas, as a user drives it in n8n 2.x: attach the UniAll tool from the
 * agent's Tools +, let the model define its prompt, close the panel, chat with the workflow, read
 * the answer and the execution's logs. The chat model is n8n's OpenAI Chat Model on an OpenAI
 * credential whose Base URL is the stand-in (tools/stand-in/chat.cts, a scripted model).
 */
import { randomUUID } from 'node:crypto';

import type { Locator, Page } from 'playwright-core';

import { node, workflow, type CredentialRef } from '../n8n/workflow.cjs';
import { DEFAULT_API_KEY } from '../stand-in/server.cjs';
import { creator, DEFAULT_NODE_NAME, openToolPicker, search, TOOL_NAME } from './nodeCreator.cjs';

export const AGENT_NAME = 'AI Agent';
export const CHAT_TRIGGER_NAME = 'When chat message received';
/** n8n names the attached tool after the node's default name (`defaults.name`). */
export const TOOL_NODE_NAME = DEFAULT_NODE_NAME;
const CHAT_MODEL_CREDENTIAL = 'OpenAI (stand-in chat model)';

/**
 * The OpenAI credential a user would make, its Base URL on the stand-in (which speaks
 * /v1/chat/completions with the stand-in's key); created through the editor's REST API with the
 * page's login cookie, once per editor.
 */
export async function chatModelCredential(
	page: Page,
	url: string,
	standInUrl: string,
): Promise<CredentialRef> {
	const listed = await page.request.get(`${url}/rest/credentials`);
	const existing = ((await listed.json()) as { data: Array<CredentialRef & { type: string }> }).data
		.filter((c) => c.type === 'openAiApi' && c.name === CHAT_MODEL_CREDENTIAL)
		.map(({ id, name }) => ({ id, name }));
	if (existing.length) return existing[0];
	const res = await page.request.post(`${url}/rest/credentials`, {
		data: {
			name: CHAT_MODEL_CREDENTIAL,
			type: 'openAiApi',
			data: { apiKey: DEFAULT_API_KEY, url: `${standInUrl}/v1` },
		},
	});
	if (!res.ok()) throw new Error(`creating the OpenAI credential failed: HTTP ${res.status()}`);
	const { id, name } = ((await res.json()) as { data: CredentialRef }).data;
	return { id, name };
}

/**
 * n8n's own nodes the journey starts from: Chat Trigger -> AI Agent (prompt from the chat) with
 * the OpenAI Chat Model, no tool yet. Chat Trigger 1.1 answers when the last node finishes (the
 * stand-in's model does not stream); OpenAI Chat Model 1.2 calls /chat/completions (1.3+ the
 * Responses API). Both versions exist on every 2.x line tested.
 */
export function chatAgentWorkflow(name: string, openAi: CredentialRef) {
	// A trigger that serves a webhook carries its id.
	const chat = Object.assign(
		node(CHAT_TRIGGER_NAME, '@n8n/n8n-nodes-langchain.chatTrigger', 1.1, { options: {} }),
		{ webhookId: randomUUID(), position: [0, 0] },
	);
	const wf = workflow(name, [
		chat,
		node(AGENT_NAME, '@n8n/n8n-nodes-langchain.agent', 3, { options: {} }, { position: [260, 0] }),
	]);
	const model = node(
		'OpenAI Chat Model',
		'@n8n/n8n-nodes-langchain.lmChatOpenAi',
		1.2,
		{ model: { __rl: true, mode: 'id', value: 'gpt-4o-mini' }, options: {} },
		{ credentials: { openAiApi: openAi }, position: [200, 240] },
	);
	wf.nodes.push(model);
	Object.assign(wf.connections, {
		[model.name]: {
			ai_languageModel: [[{ node: AGENT_NAME, type: 'ai_languageModel', index: 0 }]],
		},
	});
	return wf;
}

/**
 * Opens the workflow, the agent's Tools +, searches "UniAll" and adds the tool variant; resolves
 * with its panel, which n8n opens on the new node.
 */
export async function attachUniAllTool(
	page: Page,
	url: string,
	wf: Parameters<typeof openToolPicker>[2],
): Promise<Locator> {
	await openToolPicker(page, url, wf, AGENT_NAME);
	await search(page, 'UniAll');
	await creator(page)
		.getByTestId('node-creator-item-name')
		.getByText(TOOL_NAME, { exact: true })
		.click();
	const ndv = page.getByTestId('ndv');
	await ndv.waitFor({ timeout: 30_000 });
	return ndv;
}

/**
 * The panel's credential: `credential` when n8n preselected another one (it picks one of the
 * user's credentials of the type; other browser files create more).
 */
export async function useCredential(ndv: Locator, credential: CredentialRef): Promise<void> {
	const select = ndv.getByTestId('node-credentials-select').first();
	if ((await select.locator('input').first().inputValue()) === credential.name) return;
	await select.click();
	const item = ndv.page().getByTestId(`node-credentials-select-item-${credential.id}`).first();
	await item.click();
	await item.waitFor({ state: 'hidden', timeout: 10_000 });
}

/**
 * The panel's "Let the model define this parameter" button (n8n's `$fromAI`) on `parameter`;
 * resolves once the field reads "Defined automatically by the model".
 */
export async function letModelDefine(ndv: Locator, parameter: string): Promise<void> {
	const item = ndv
		.getByTestId('parameter-item')
		.filter({ has: ndv.page().getByTestId(`parameter-input-${parameter}`) })
		.first();
	await item.getByTestId('from-ai-override-button').click();
	await ndv
		.getByText(/Defined automatically by the\s+model/)
		.first()
		.waitFor({ timeout: 10_000 });
}

/** Closes the panel; resolves once the node sits on the canvas. */
export async function closePanel(page: Page, nodeName: string): Promise<void> {
	await page.getByTestId('ndv-close-button').click();
	await page.getByTestId('ndv').waitFor({ state: 'hidden', timeout: 10_000 });
	await page
		.locator(`[data-test-id="canvas-node"][data-node-name="${nodeName}"]`)
		.waitFor({ timeout: 10_000 });
}

/** The canvas's "Open chat", types `message`, sends it with Enter. */
export async function sendChatMessage(page: Page, message: string): Promise<void> {
	await page.getByTestId('workflow-chat-button').click();
	const input = page.getByTestId('canvas-chat').getByTestId('chat-input');
	await input.fill(message);
	await input.press('Enter');
}

/** The first answer the chat shows from the workflow (waits for it). */
export async function chatAnswer(page: Page, timeout = 120_000): Promise<string> {
	// The bot's message shows up empty while the workflow runs.
	const answer = page
		.getByTestId('canvas-chat')
		.locator('.chat-message-from-bot')
		.filter({ hasText: /\S/ })
		.first();
	await answer.waitFor({ timeout });
	return (await answer.innerText()).trim();
}

/**
 * The execution's logs panel: selects the node's entry (a click on the selected entry closes its
 * details, so a second click reopens them), then the text of its output as the details show it.
 */
export async function loggedOutput(page: Page, nodeName: string): Promise<string> {
	const entry = page.getByTestId('logs-overview-body').getByText(nodeName, { exact: true }).first();
	const details = page.getByTestId('log-details').filter({
		has: page.getByTestId('log-details-header').filter({ hasText: nodeName }),
	});
	await entry.click();
	if (
		!(await details.waitFor({ timeout: 5_000 }).then(
			() => true,
			() => false,
		))
	)
		await entry.click();
	const output = details.getByTestId('log-details-output');
	await output
		.getByText(/\d+ items?/)
		.first()
		.waitFor({ timeout: 10_000 });
	return await output.innerText();
}
