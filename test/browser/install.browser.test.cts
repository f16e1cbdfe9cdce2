/**
 * Suite step 1 (2.x lines; tools/browser/matrix.cts): the package installed as the README says,
 * from Settings -> Community Nodes -> Install in the browser, out of a local npm registry
 * (Verdaccio, tools/browser/registry.cts) that holds the packed tarball, published with `npm
 * publish`. Then it is listed with its version, the node creator finds it, and it runs.
 *
 * n8n hands every npm call of its installer `--registry=<N8N_COMMUNITY_PACKAGES_REGISTRY>`, and
 * a registry other than registry.npmjs.org needs a licence feature: the first test shows the
 * refusal without it; the second switches the feature on (n8n's E2E switch, as a licence would)
 * and installs. This file starts its own n8n (the suite's editor has the package already).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import type { Browser } from 'playwright-core';

import { launchChromium } from '../../tools/browser/chromium.cjs';
import { openEditorPage, step, type EditorPage } from '../../tools/browser/editor.cjs';
import {
	NODE_NAME,
	openFirstStepCreator,
	openNewWorkflow,
	search,
} from '../../tools/browser/nodeCreator.cjs';
import { executeStep, openNode, outputView } from '../../tools/browser/panel.cjs';
import {
	CUSTOM_REGISTRY_FEATURE,
	startInstallEditor,
	startLocalRegistry,
	type LocalRegistry,
} from '../../tools/browser/registry.cjs';
import { buildAndPack, REPO } from '../../tools/n8n/pack.cjs';
import { trigger, uniall, workflow } from '../../tools/n8n/workflow.cjs';
import { textToImageParams } from '../helpers/parameters';

const VERSION = process.env.UNIALL_EDITOR_VERSION ?? process.env.UNIALL_N8N_VERSION;
const PACKAGE = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as {
	name: string;
	version: string;
};

let registry: LocalRegistry | undefined;
let n8n: Awaited<ReturnType<typeof startInstallEditor>> | undefined;
let browser: Browser | undefined;
let editor: EditorPage;

beforeAll(async () => {
	registry = await startLocalRegistry();
	const [tarball, started] = await Promise.all([
		buildAndPack(),
		startInstallEditor(VERSION, registry.url),
	]);
	n8n = started;
	await registry.publish(tarball);
	browser = await launchChromium();
}, 600_000);

afterAll(async () => {
	await browser?.close();
	await n8n?.stop();
	await registry?.stop();
});

beforeEach(async () => {
	editor = await openEditorPage(browser as Browser, (n8n as NonNullable<typeof n8n>).url);
});

afterEach(async () => {
	await editor?.close();
});

describe(`n8n ${VERSION}: install from Settings -> Community Nodes`, () => {
	it('without the licence feature, n8n refuses a registry other than the public one', async () => {
		const res = await editor.page.request.post(`${n8n?.url}/rest/community-packages`, {
			data: { name: PACKAGE.name },
		});
		expect(res.ok()).toBe(false);
		expect(((await res.json()) as { message: string }).message).toContain(
			`Your license does not allow for ${CUSTOM_REGISTRY_FEATURE}`,
		);
	});

	it('with it, the owner installs the package in the UI: listed with its version, found in the node creator, and it runs', async () => {
		const { page } = editor;
		const url = (n8n as NonNullable<typeof n8n>).url;
		await n8n?.setLicenceFeature(CUSTOM_REGISTRY_FEATURE, true);

		await step(editor, `${VERSION}-install-ui`, async () => {
			// The first page of a fresh n8n loads the editor's bundle: on a busy machine it takes > 30 s.
			await page.goto(`${url}/settings/community-nodes`, {
				waitUntil: 'domcontentloaded',
				timeout: 120_000,
			});
			// With no package installed yet, the page's only action is its empty state's button.
			await page
				.getByRole('button', { name: 'Install a community node' })
				.click({ timeout: 120_000 });
			await page
				.locator(
					'input[data-test-id="package-name-input"], [data-test-id="package-name-input"] input',
				)
				.first()
				.fill(PACKAGE.name);
			await page.getByTestId('user-agreement-checkbox').first().click();
			await page.getByTestId('install-community-package-button').first().click();
			const card = page.getByTestId('community-package-card').filter({ hasText: PACKAGE.name });
			// n8n answers with the package's card or its "Error installing new package" toast.
			const failed = page.locator('.el-notification').filter({ hasText: 'Error installing' });
			await card.or(failed).first().waitFor({ timeout: 180_000 });
			if (await failed.isVisible()) throw new Error(`n8n: ${await failed.innerText()}`);
			expect(await card.innerText()).toContain(PACKAGE.version);
		});

		await step(editor, `${VERSION}-install-find`, async () => {
			await openFirstStepCreator(page, url);
			expect(await search(page, 'UniAll')).toContain(NODE_NAME);
		});

		await step(editor, `${VERSION}-install-run`, async () => {
			// A credential for the stand-in the suite's globalSetup serves from this process.
			const res = await page.request.post(`${url}/rest/credentials`, {
				data: {
					name: 'UniAll (stand-in)',
					type: 'uniAllApi',
					data: { apiKey: 'test-uniall-key', baseUrl: process.env.UNIALL_STAND_IN_URL },
				},
			});
			expect(res.ok()).toBe(true);
			const body = (await res.json()) as { data?: { id: string; name: string } };
			const credential = body.data as { id: string; name: string };
			await openNewWorkflow(
				page,
				url,
				workflow('installed from the registry', [
					trigger(),
					uniall(textToImageParams({}, { prompt: 'a fox on a hill' }), credential),
				]),
			);
			const ndv = await openNode(page, NODE_NAME);
			await executeStep(page, ndv);
			expect(await (await outputView(ndv, 'JSON')).innerText()).toMatch(/"cost":\s*0\.01836/);
		});
		// Three steps with their own waits (install, creator, execution): seen at 174 s under load.
	}, 480_000);
});
