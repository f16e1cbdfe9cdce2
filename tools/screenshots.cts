/**
 * `npm run screenshots`: pictures for the README, taken from the REAL n8n editor with the browser
 * suite's own setup (tools/browser/: `startTestEditor()`, Debian's Chromium, a logged-in page, the
 * panel helpers the suite uses), so the pictures show the editor `npm run e2e:browser` tests.
 * UNIALL_N8N_VERSION picks the n8n; UNIALL_EDITOR_URL reuses an editor already started the same
 * way (as the suite's globalSetup does), skipping the start.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';

import type { Page } from 'playwright-core';

import { launchChromium } from './browser/chromium.cjs';
import { openEditorPage, startTestEditor } from './browser/editor.cjs';
import { openCanvas } from './browser/nodeCreator.cjs';
import { openNode, outputView } from './browser/panel.cjs';
import { REPO } from './n8n/pack.cjs';

const OUT = path.join(REPO, 'docs', 'images');
const log = (line: string) => process.stdout.write(`${line}\n`);

async function main() {
	mkdirSync(OUT, { recursive: true });
	const given = process.env.UNIALL_EDITOR_URL;
	const editor = given ? undefined : await startTestEditor();
	const url = given ?? (editor?.url as string);
	const browser = await launchChromium();
	try {
		const { page } = await openEditorPage(browser, url);

		// 1. An example workflow on the canvas (the node's subtitle: operation and resolution).
		await openWorkflow(page, `${url}/workflow/uniallExample001`);
		await shot(page, 'workflow-canvas.png');

		// 2. The parameter panel of example 5: 4K with its price notice, Output Format JPEG,
		// Output Compression and a budget.
		await openWorkflow(page, `${url}/workflow/uniallExample005`);
		await openNode(page, '4K Poster');
		await page.getByTestId('parameter-input-outputCompression').first().waitFor();
		await shot(page, 'node-parameters.png');

		// 3. The demo executed: the generated image previewed in the output panel.
		await openWorkflow(page, `${url}/workflow/uniallDemoCsv001`);
		await page
			.getByRole('button', { name: /Execute workflow/ })
			.first()
			.click({ force: true });
		await page.getByText('Workflow executed successfully').first().waitFor({ timeout: 180_000 });
		const ndv = await openNode(page, 'UniAll GPT Image-2');
		const binary = await outputView(ndv, 'Binary');
		await binary.getByTestId('ndv-view-binary-data').first().click();
		await page
			.locator('img[src*="binary-data"], img[src^="blob:"], img[src^="data:image"]')
			.first()
			.evaluate((img: { complete: boolean; naturalWidth: number; decode: () => Promise<void> }) =>
				img.decode(),
			);
		await shot(page, 'execution-output.png');
	} finally {
		await browser.close();
		await editor?.stop();
	}
}

async function openWorkflow(page: Page, address: string) {
	await openCanvas(page, address);
	await page.locator('[data-test-id="canvas-node"]').first().waitFor({ timeout: 60_000 });
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
