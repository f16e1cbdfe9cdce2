/**
 * Debian's Chromium driven by playwright-core: Playwright's own browser download cannot work on
 * these machines, so the system browser is used (`apt-get install chromium`; CHROMIUM_PATH to
 * point elsewhere). The flags are those that work here as root, headless, offline.
 */
import { existsSync } from 'node:fs';

import { chromium, selectors, type Browser } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const FLAGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

export async function launchChromium(): Promise<Browser> {
	if (!existsSync(CHROMIUM))
		throw new Error(`No Chromium at ${CHROMIUM}: apt-get install chromium (or set CHROMIUM_PATH)`);
	// n8n marks its elements with `data-test-id` (Playwright's default is `data-testid`).
	selectors.setTestIdAttribute('data-test-id');
	return await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
}
