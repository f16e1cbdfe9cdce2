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
