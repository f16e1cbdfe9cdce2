/**
 * The editor a browser test or `npm run screenshots` drives: `startEditor()` (the package packed
 * and installed, the stand-in, its credential, the demo and example workflows, an owner) on free
 * ports, and pages logged in as the owner whose console is recorded, so that a failure can leave
 * a screenshot and the page's console log where CI prints.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import type { Browser, Page } from 'playwright-core';

import { OWNER } from '../n8n/owner.cjs';
import { REPO } from '../n8n/pack.cjs';
import { startEditor } from '../start.cjs';

export type Editor = Awaited<ReturnType<typeof startEditor>>;

/** A throw-away editor for one n8n version (its own user folder, removed on stop). */
export async function startTestEditor(version?: string): Promise<Editor> {
	const userFolder = mkdtempSync(path.join(tmpdir(), 'uniall-browser-'));
	const editor = await startEditor({
		version,
		userFolder,
		port: 'free',
		standInPort: 0,
		quiet: true,
	});
	return {
		...editor,
		stop: async () => {
			await editor.stop();
			rmSync(userFolder, { recursive: true, force: true });
		},
	};
}

export interface EditorPage {
	page: Page;
	/** What the page printed (console messages and uncaught errors), in order. */
	consoleLog: string[];
	close: () => Promise<void>;
}

/** A new page, logged in as the owner, in the given colour theme. */
export async function openEditorPage(
	browser: Browser,
	url: string,
	options: { theme?: 'light' | 'dark' } = {},
): Promise<EditorPage> {
	const context = await browser.newContext({
		viewport: { width: 1440, height: 900 },
		deviceScaleFactor: 1,
		colorScheme: options.theme ?? 'light',
	});
	// n8n follows the system theme unless the user picked one; pick it, as a user would.
	if (options.theme)
		await context.addInitScript(
			`window.localStorage.setItem('N8N_THEME', ${JSON.stringify(options.theme)})`,
		);
	const page = await context.newPage();
	const consoleLog: string[] = [];
	page.on('console', (m) => consoleLog.push(`[${m.type()}] ${m.text()}`));
	page.on('pageerror', (e) => consoleLog.push(`[pageerror] ${e.message}`));
	const login = await page.request.post(`${url}/rest/login`, {
		data: { emailOrLdapLoginId: OWNER.email, password: OWNER.password },
	});
	if (!login.ok()) throw new Error(`login failed: HTTP ${login.status()}`);
	return { page, consoleLog, close: async () => await context.close() };
}

/** Where failure screenshots and console logs go (printed on failure). */
export const FAILURE_DIR = path.join(REPO, 'output', 'browser-failures');

/**
 * Runs one step of a journey; when it fails, saves a screenshot and the page's console log and
 * prints both paths and the log itself to stdout before rethrowing.
 */
export async function step<T>(editorPage: EditorPage, name: string, body: () => Promise<T>) {
	try {
		return await body();
	} catch (error) {
		mkdirSync(FAILURE_DIR, { recursive: true });
		const base = path.join(FAILURE_DIR, name.replace(/[^\w.-]+/g, '_'));
		await editorPage.page.screenshot({ path: `${base}.png` }).catch(() => undefined);
		writeFileSync(`${base}.console.log`, editorPage.consoleLog.join('\n'));
		process.stdout.write(
			`\nbrowser step "${name}" failed: screenshot ${base}.png, console log ${base}.console.log\n` +
				`---- page console ----\n${editorPage.consoleLog.join('\n') || '(empty)'}\n----\n`,
		);
		throw error;
	}
}
