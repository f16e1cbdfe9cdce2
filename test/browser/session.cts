/**
 * What every browser test file shares: the editor globalSetup started (its URL, version and
 * stand-in), one Chromium per file and a fresh logged-in page per test, closed after it.
 * Call `editorSession()` once at the top of a file, then read `session.editor` inside tests.
 */
import type { Browser } from 'playwright-core';

import { launchChromium } from '../../tools/browser/chromium.cjs';
import { openEditorPage, type EditorPage } from '../../tools/browser/editor.cjs';

export interface EditorSession {
	url: string;
	version: string;
	standInUrl: string;
	/** This test's page. */
	readonly editor: EditorPage;
	/** Replaces this test's page by a new one in `theme` (closed after the test like the first). */
	reopen(options: { theme?: 'light' | 'dark' }): Promise<EditorPage>;
}

export function editorSession(): EditorSession {
	let browser: Browser;
	let page: EditorPage | undefined;
	const session: EditorSession = {
		url: process.env.UNIALL_EDITOR_URL as string,
		version: process.env.UNIALL_EDITOR_VERSION as string,
		standInUrl: process.env.UNIALL_STAND_IN_URL as string,
		get editor() {
			if (!page) throw new Error('no editor page outside a test');
			return page;
		},
		async reopen(options) {
			await page?.close();
			page = await openEditorPage(browser, session.url, options);
			return page;
		},
	};
	beforeAll(async () => {
		browser = await launchChromium();
	});
	afterAll(async () => {
		await browser?.close();
	});
	beforeEach(async () => {
		page = await openEditorPage(browser, session.url);
	});
	afterEach(async () => {
		await page?.close();
		page = undefined;
	});
	return session;
}
