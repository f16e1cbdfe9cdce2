/**
 * The node's parameter panel (NDV) and the credential dialog, as a user drives them in n8n 2.x:
 * open a node, create a credential from its credential select, execute the step, switch the
 * output between the Table, JSON and Binary views.
 */
import type { Locator, Page } from 'playwright-core';

export async function openNode(page: Page, name: string): Promise<Locator> {
	await page.locator(`[data-test-id="canvas-node"][data-node-name="${name}"]`).dblclick();
	const ndv = page.getByTestId('ndv');
	await ndv.waitFor({ timeout: 30_000 });
	return ndv;
}

/** From an open panel: the credential select's "Create new credential", then the dialog. */
export async function newCredentialDialog(page: Page): Promise<Locator> {
	await page.getByTestId('node-credentials-select').first().click();
	await page.getByTestId('node-credentials-select-item-new').first().click();
	const dialog = page.getByTestId('credential-edit-dialog');
	await dialog.waitFor({ timeout: 30_000 });
	return dialog;
}

/** The input of a credential field, found by its label. */
export function credentialField(dialog: Locator, label: string): Locator {
	return dialog
		.getByTestId('credential-connection-parameter')
		.filter({ hasText: label })
		.locator('input')
		.first();
}

/**
 * Saves the dialog; n8n then tests the credential. Waits for the banner of the `expected` outcome
 * (a banner of the previous save stays up while n8n retests, so "whichever comes first" would
 * read a stale one) and resolves with the dialog's text: on failure n8n's heading and, unfolded
 * from "More details", the answer's message. Times out when the other outcome comes instead.
 */
export async function saveAndReadTest(
	page: Page,
	dialog: Locator,
	expected: 'success' | 'failure',
	nodeName: string,
): Promise<string> {
	// The Save button sits in the dialog's header, outside the element holding the test id.
	await page.getByTestId('credential-save-button').first().click();
	if (expected === 'success') {
		const success = page.getByTestId('credentials-config-container-test-success');
		// 2.41.x closes a new credential's dialog once its test passed: open it again, where
		// n8n shows the saved credential's test result.
		await Promise.race([
			success.waitFor({ timeout: 60_000 }),
			dialog.waitFor({ state: 'hidden', timeout: 60_000 }),
		]);
		if (!(await success.isVisible())) {
			await openCredentialOfNode(page, nodeName);
			await success.waitFor({ timeout: 60_000 });
		}
	} else {
		await page
			.getByText(/Couldn.t connect with these settings/)
			.first()
			.waitFor({ timeout: 60_000 });
		await page
			.getByText(/More details/)
			.last()
			.click();
		await page.waitForTimeout(300);
	}
	return (await dialog.innerText()).trim();
}

/** Closes the credential dialog (Escape closes the panel too), opens the node and its credential again, as saved. */
export async function reopenCredential(page: Page, nodeName: string): Promise<Locator> {
	const dialog = page.getByTestId('credential-edit-dialog');
	await page.keyboard.press('Escape');
	await dialog.waitFor({ state: 'hidden', timeout: 30_000 });
	return await openCredentialOfNode(page, nodeName);
}

/** The node's panel (opened when closed), then its credential's dialog. */
async function openCredentialOfNode(page: Page, nodeName: string): Promise<Locator> {
	const dialog = page.getByTestId('credential-edit-dialog');
	if (!(await page.getByTestId('ndv').isVisible())) await openNode(page, nodeName);
	await page.getByTestId('credential-edit-button').first().click();
	await dialog.waitFor({ timeout: 30_000 });
	return dialog;
}

export async function executeStep(page: Page, ndv: Locator): Promise<void> {
	await ndv.getByTestId('node-execute-button').first().click();
	await ndv
		.getByTestId('output-panel')
		.getByText(/\d+ items?/)
		.first()
		.waitFor({ timeout: 120_000 });
}

/** Switches the output panel to a display mode ("Table", "JSON", "Schema", "Binary"). */
export async function outputView(
	ndv: Locator,
	mode: 'Table' | 'JSON' | 'Binary',
): Promise<Locator> {
	const output = ndv.getByTestId('output-panel');
	await output.getByTestId('ndv-run-data-display-mode').getByText(mode, { exact: true }).click();
	await output.page().waitForTimeout(500);
	return output;
}

/**
 * The fields the Parameters tab shows, in order, as a user reads them: each top-level field's
 * label ("Credential to connect with" included), and a notice by its text. Hidden fields (the
 * Settings tab, fields of another operation) are left out; fields inside a collection are not
 * top-level (read them with `collectionFields()`).
 */
export async function panelFields(ndv: Locator): Promise<string[]> {
	// A browser-side function (a string, so that no compiled helper of this file leaks into it).
	return await ndv.evaluate(`(() => {
		const visible = (e) => e.offsetParent !== null;
		const topLevel = [...document.querySelectorAll('[data-test-id="ndv"] [data-test-id="parameter-item"]')]
			.filter((e) => visible(e) && !e.parentElement.closest('[data-test-id="parameter-item"]'));
		return topLevel.flatMap((item) => {
			const labels = [...item.querySelectorAll("label.n8n-input-label")].filter(
				(l) => visible(l) && l.closest('[data-test-id="parameter-item"]') === item,
			);
			return labels.length > 0
				? labels.map((l) => l.innerText.trim().split("\\n")[0].trim())
				: [item.innerText.trim()];
		});
	})()`);
}

/** The labels of the fields added to a collection (e.g. Options), in order. */
export async function collectionFields(ndv: Locator, collection: string): Promise<string[]> {
	const item = parameterItem(ndv, collection);
	const labels = item.locator('[data-test-id="parameter-item"] label.n8n-input-label');
	return (await labels.allInnerTexts()).map((t) => t.trim().split('\n')[0].trim());
}

/** The top-level parameter item holding the field `name` (its label's `for`). */
export function parameterItem(ndv: Locator, name: string): Locator {
	return ndv
		.getByTestId('parameter-item')
		.filter({ has: ndv.page().locator(`label[for="${name}"]`) })
		.first();
}

/** The text a field shows (label, hint, notice), e.g. to look for a hint. */
export async function fieldText(ndv: Locator, name: string): Promise<string> {
	return (await parameterItem(ndv, name).innerText()).trim();
}

/** The entries of an open select dropdown (the one visible on the page), each line by line. */
async function openDropdownEntries(page: Page): Promise<string[]> {
	const items = page.locator('.el-select-dropdown__item:visible');
	await items.first().waitFor({ timeout: 10_000 });
	return (await items.allInnerTexts()).map((t) => t.trim());
}

/**
 * The entries of an options field's dropdown (name, then its description when n8n shows one),
 * read by opening it and closed again by clicking the field.
 */
export async function optionsOf(ndv: Locator, name: string): Promise<string[]> {
	const select = ndv.getByTestId(`parameter-input-${name}`).first();
	await select.click();
	const entries = await openDropdownEntries(ndv.page());
	await select.click();
	await ndv
		.page()
		.locator('.el-select-dropdown__item:visible')
		.first()
		.waitFor({ state: 'hidden' });
	return entries;
}

/** Picks `label` in an options field's dropdown. */
export async function pickOption(ndv: Locator, name: string, label: string): Promise<void> {
	await ndv.getByTestId(`parameter-input-${name}`).first().click();
	await ndv
		.page()
		.locator('.el-select-dropdown__item:visible')
		.filter({ hasText: label })
		.first()
		.click();
	await ndv
		.page()
		.locator('.el-select-dropdown__item:visible')
		.first()
		.waitFor({ state: 'hidden' });
}

/**
 * Whether the collection's "Add option" is a button that adds the one option left at once,
 * without naming it: n8n 2.8.x (its CollectionParameterLegacy) turns the dropdown into such a
 * button when a single option is left. Otherwise it opens a dropdown of the options left.
 */
export async function addsLastOptionAtOnce(ndv: Locator): Promise<boolean> {
	const add = ndv.getByTestId('collection-parameter-add').first();
	return (await add.evaluate((el) => el.tagName)) === 'BUTTON';
}

/**
 * What a collection's "Add option" dropdown offers now. Needs the dropdown: with one option left
 * 2.8.x shows a button that would add it (`addsLastOptionAtOnce`), so this refuses to click it.
 */
export async function addableOptions(ndv: Locator): Promise<string[]> {
	if (await addsLastOptionAtOnce(ndv))
		throw new Error('"Add option" is a button adding the one option left; it names no options');
	const add = ndv.getByTestId('collection-parameter-add').first();
	await add.click();
	const page = ndv.page();
	const offered = page.getByTestId('collection-parameter-option');
	await offered.filter({ visible: true }).first().waitFor({ timeout: 10_000 });
	const names = (await offered.filter({ visible: true }).allInnerTexts()).map((t) => t.trim());
	await add.click();
	await page.locator('.el-select-dropdown:visible').first().waitFor({ state: 'hidden' });
	return names;
}

/**
 * Adds the option `label` from the collection's "Add option" dropdown, or with 2.8.x's button
 * when it is the one option left; resolves once the field `label` shows in the collection.
 */
export async function addOption(ndv: Locator, label: string): Promise<void> {
	const atOnce = await addsLastOptionAtOnce(ndv);
	await ndv.getByTestId('collection-parameter-add').first().click();
	if (!atOnce)
		await ndv
			.page()
			.getByTestId('collection-parameter-option')
			.getByText(label, { exact: true })
			.click();
	await ndv
		.locator('[data-test-id="parameter-item"] [data-test-id="parameter-item"] label')
		.getByText(label, { exact: true })
		.waitFor({ timeout: 10_000 });
	await closeAddOption(ndv);
}

/**
 * 2.41.x leaves the "Add option" dropdown open after a pick (to add several in a row), and may
 * open it again a moment later: close it as a user would, by clicking elsewhere in the panel
 * (its Parameters tab).
 */
async function closeAddOption(ndv: Locator): Promise<void> {
	const open = ndv.page().getByTestId('collection-parameter-option').filter({ visible: true });
	// 2.8.x closes it itself (a click then would race its fade-out): give it a moment first.
	const closed = await open
		.first()
		.waitFor({ state: 'hidden', timeout: 1_500 })
		.then(() => true)
		.catch(() => false);
	if (!closed) {
		await ndv.getByText('Parameters', { exact: true }).first().click();
		await open.first().waitFor({ state: 'hidden', timeout: 10_000 });
	}
}

/** The input of a number (or string) field, top-level or inside a collection. */
export function fieldInput(ndv: Locator, name: string): Locator {
	return ndv.locator(`[data-test-id="parameter-input-${name}"] input`).first();
}

/**
 * Types `value` into a number field as a user would, leaves it (Tab) and returns what the field
 * then holds: n8n's number input clamps to the field's minValue/maxValue on blur.
 */
export async function typeNumber(ndv: Locator, name: string, value: string): Promise<string> {
	await closeAddOption(ndv);
	const input = fieldInput(ndv, name);
	await input.focus();
	await input.fill(value);
	await input.press('Tab');
	// Left the field; the editor writes the clamped value on its next render.
	await input.evaluate(
		(el) =>
			new Promise<void>((done) => {
				const win = el.ownerDocument.defaultView as unknown as {
					requestAnimationFrame: (f: () => void) => void;
				};
				const check = () =>
					el.ownerDocument.activeElement !== el
						? win.requestAnimationFrame(() => win.requestAnimationFrame(done))
						: win.requestAnimationFrame(check);
				check();
			}),
	);
	return await input.inputValue();
}

/** The subtitle the canvas shows under a node's name. */
export async function canvasSubtitle(page: Page, nodeName: string): Promise<string> {
	const subtitle = page
		.locator(`[data-test-id="canvas-node"][data-node-name="${nodeName}"] [class*="subtitle"]`)
		.first();
	await subtitle.waitFor({ timeout: 30_000 });
	return (await subtitle.innerText()).trim();
}
