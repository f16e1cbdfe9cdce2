/**
 * The editor's node creator, as a user reaches it: the "Add first step" button of a new
 * workflow, the + after a node, the AI view, an AI Agent's Tool slot. Selectors are n8n's own
 * `data-test-id`s, the same on 1.123.x and 2.x.
 */
import type { Locator, Page } from 'playwright-core';

/** The node's display name: what the node creator lists. */
export const NODE_NAME = 'UniAll GPT Image-2';
/** The name a node added from the creator gets on the canvas (the description's `defaults.name`). */
export const DEFAULT_NODE_NAME = 'UniAll Image';
export const TOOL_NAME = 'UniAll GPT Image-2 Tool';

/** Creates a workflow through the editor's REST API (the page's login cookie) and opens it. */
export async function openNewWorkflow(
	page: Page,
	url: string,
	workflow: { name: string; nodes: unknown[]; connections: Record<string, unknown> },
): Promise<void> {
	// n8n gives the workflow its id: the builders' ids repeat from one run to the next.
	const { id: _builderId, ...body } = workflow as typeof workflow & { id?: string };
	// The execution order of a workflow made in the editor (v1); with the legacy order an AI
	// Agent resumes before its tool has run and hands the model an empty tool result.
	const res = await page.request.post(`${url}/rest/workflows`, {
		data: { ...body, active: false, settings: { executionOrder: 'v1' } },
	});
	if (!res.ok())
		throw new Error(`creating workflow "${workflow.name}" failed: HTTP ${res.status()}`);
	const created = (await res.json()) as { data?: { id: string }; id?: string };
	const id = created.data?.id ?? created.id;
	await openCanvas(page, `${url}/workflow/${id}`);
}

export async function openCanvas(page: Page, address: string): Promise<void> {
	await page.goto(address, { waitUntil: 'domcontentloaded' });
	await page.waitForSelector(
		'[data-test-id="canvas-wrapper"], [data-test-id="canvas-add-button"]',
		{
			timeout: 60_000,
		},
	);
	// A first visit may greet the owner with a dialog; it is not part of the journey.
	await page.keyboard.press('Escape');
}

/** The node creator panel (its `node-creator` test id sits on a wrapper of no size: use the panel's content). */
export function creator(page: Page): Locator {
	return page.locator('body');
}

function searchBar(page: Page): Locator {
	return page.getByPlaceholder('Search nodes...').first();
}

/** Types a search into the open node creator and returns the names it lists. */
export async function search(page: Page, text: string): Promise<string[]> {
	const bar = searchBar(page);
	await bar.fill('');
	await bar.fill(text);
	// The list re-renders after a debounce: wait until it settles on the same names twice.
	let last = '';
	for (let i = 0; i < 12; i++) {
		await page.waitForTimeout(300);
		const names = (await listedNames(page)).join('|');
		if (names === last) break;
		last = names;
	}
	return await listedNames(page);
}

export async function listedNames(page: Page): Promise<string[]> {
	return (await creator(page).getByTestId('node-creator-item-name').allInnerTexts()).map((t) =>
		t.trim(),
	);
}

async function openedCreator(page: Page): Promise<void> {
	await searchBar(page).waitFor({ timeout: 30_000 });
}

/** A new workflow, "Add first step": the creator opens on the trigger view. */
export async function openFirstStepCreator(page: Page, url: string): Promise<void> {
	await openCanvas(page, `${url}/workflow/new`);
	await page
		.locator(
			['canvas-add-button', 'canvas-plus-button', 'canvas-add-first-step-button']
				.map((id) => `[data-test-id="${id}"]`)
				.join(', '),
		)
		.first()
		.click();
	await openedCreator(page);
}

/** A saved workflow, then the + on the output of `nodeName` ("What happens next?"). */
export async function openCreatorAfter(
	page: Page,
	url: string,
	wf: { name: string; nodes: unknown[]; connections: Record<string, unknown> },
	nodeName: string,
): Promise<void> {
	await openNewWorkflow(page, url, wf);
	await page
		.locator(
			`[data-test-id="canvas-node-output-handle"][data-node-name="${nodeName}"] [data-test-id="canvas-handle-plus"]`,
		)
		.first()
		.click();
	await openedCreator(page);
}

/** From the regular view, the "AI" entry. */
export async function openAiView(page: Page): Promise<void> {
	await creator(page)
		.getByTestId('node-creator-item-name')
		.getByText('AI', { exact: true })
		.click();
	await page.waitForTimeout(500);
}

/** A saved workflow with an AI Agent, then the + of its Tool slot. */
export async function openToolPicker(
	page: Page,
	url: string,
	wf: { name: string; nodes: unknown[]; connections: Record<string, unknown> },
	agentName: string,
): Promise<void> {
	await openNewWorkflow(page, url, wf);
	await page
		.locator(
			`[data-test-id="canvas-node-input-handle"][data-connection-type="ai_tool"][data-node-name="${agentName}"] [data-test-id="canvas-handle-plus"]`,
		)
		.first()
		.click();
	await openedCreator(page);
}

/**
 * Searches `term`, picks the node, then its first operation, as a user adds it; resolves when the
 * node is on the canvas under `canvasName` (the parameter panel that opens is closed again).
 */
export async function addNodeFromCreator(
	page: Page,
	term: string,
	canvasName = DEFAULT_NODE_NAME,
): Promise<void> {
	await search(page, term);
	await creator(page)
		.getByTestId('node-creator-item-name')
		.getByText(NODE_NAME, { exact: true })
		.click();
	const action = creator(page).locator('[data-keyboard-nav-type="action"]').first();
	if (await action.isVisible({ timeout: 5_000 }).catch(() => false)) await action.click();
	await page.getByTestId('ndv').waitFor({ timeout: 30_000 });
	await page.keyboard.press('Escape');
	await page
		.locator(`[data-test-id="canvas-node"][data-node-name="${canvasName}"]`)
		.waitFor({ timeout: 30_000 });
}

/** The icon file the creator shows next to `name`, and whether the browser could draw it. */
export async function iconOf(
	scope: Locator,
	name: string,
): Promise<{ file: string; loaded: boolean }> {
	const item = scope
		.getByTestId('item-iterator-item')
		.filter({ has: scope.page().getByText(name, { exact: true }) })
		.first();
	const img = item.locator('img').first();
	await img.waitFor({ timeout: 10_000 });
	const { src, loaded } = await img.evaluate(
		(el: { src: string; complete: boolean; naturalWidth: number }) => ({
			src: el.src,
			loaded: el.complete && el.naturalWidth > 0,
		}),
	);
	return { file: src.split('?')[0].split('/').pop() ?? src, loaded };
}
