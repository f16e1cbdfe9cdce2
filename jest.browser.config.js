/**
 * The browser suite (`npm run e2e:browser`): the real editor of one n8n (UNIALL_N8N_VERSION) in
 * Debian's Chromium. One editor per version, started in globalSetup and shared by every file.
 */
const base = require('./jest.config');

/** @type {import('jest').Config} */
module.exports = {
	...base,
	testMatch: ['<rootDir>/test/browser/**/*.browser.test.cts'],
	globalSetup: '<rootDir>/test/browser/globalSetup.js',
	globalTeardown: '<rootDir>/test/browser/globalTeardown.js',
	testTimeout: 300000,
	maxWorkers: 1,
};
