/**
 * `npm run screenshots`: pictures for the README, taken from the REAL n8n editor with the browser
 * suite's own setup (tools/browser/: `startTestEditor()`, Debian's Chromium, a logged-in page), so
 * the pictures show the editor `npm run e2e:browser` tests. UNIALL_N8N_VERSION picks the n8n.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';

import type { Page } from 'playwright-core';

import { launchChromium } from './browser/chromium.cjs';
import { openEditorPage, startTestEditor } from './browser/editor.cjs';
import { REPO } from './n8n/pack.cjs';

const OUT = path.join(REPO, 'docs', 'images');
const log = (line: string) => process.stdout.write(`${line}\n`);

async function main() {
	mkdirSync(OUT, { recursive: true });
	const editor = await startTestEditor();
	const browser = await launchChromium();
	try {
		const { page } = await openEditorPage(browser, editor.url);

		// 1. An example workflow on the canvas.
		await openWorkflow(page, `${editor.url}/workflow/uniallExample001`);
		await shot(page, 'workflow-canvas.png');

		// 2. The node's parameter panel (4K shows the price notice).
		await openWorkflow(page, `${editor.url}/workflow/uniallExample004`);
		await openNode(page, 'Submit Generation');
		await shot(page, 'node-parameters.png');

		// 3. An execution with the generated image in the output panel.
		await openWorkflow(page, `${editor.url}/workflow/uniallDemoCsv001`);
		await page
			.getByRole('button', { name: /Execute workflow/ })
			.first()
			.click({ force: true });
		await page
			.waitForFunction(
				"document.body.innerText.includes('Workflow executed successfully')",
				undefined,
				{ timeout: 120_000 },
			)
			.catch(() => undefined);
		await page.waitForTimeout(1500);
		await openNode(page, 'UniAll GPT Image-2');
		const binaryTab = page.getByText('Binary', { exact: true }).last();
		if (await binaryTab.isVisible().catch(() => false)) await binaryTab.click();
		await page.waitForTimeout(1000);
		// "View" shows the image itself in the output panel.
		const view = page.getByRole('button', { name: 'View', exact: true }).first();
		if (await view.isVisible().catch(() => false)) await view.click({ force: true });
		await page.waitForTimeout(2000);
		await shot(page, 'execution-output.png');
	} finally {
		await browser.close();
		await editor.stop();
	}
}

async function openWorkflow(page: Page, url: string) {
	await page.goto(url, { waitUntil: 'networkidle' });
	await page.waitForSelector('[data-test-id="canvas-node"]', { timeout: 60_000 });
	await page.keyboard.press('Escape');
	await page.waitForTimeout(800);
}

async function openNode(page: Page, name: string) {
	await page.locator(`[data-test-id="canvas-node"][data-node-name="${name}"]`).dblclick();
	await page.waitForSelector('[data-test-id="ndv"]', { timeout: 30_000 });
	await page.waitForTimeout(1000);
}

async function shot(page: Page, file: string) {
	await page.screenshot({ path: path.join(OUT, file) });
	log(`wrote docs/images/${file}`);
}

main()
	.then(() => process.exit(0))
	.catch((error: Error) => {
		process.stderr.write(`screenshots failed: ${error.stack ?? error.message}\n`);
		process.exit(1);
	});
