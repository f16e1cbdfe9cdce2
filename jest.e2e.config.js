/** Real-n8n end-to-end tests: one pinned n8n, the packed package installed as a user would. */
const base = require('./jest.config');

/** @type {import('jest').Config} */
module.exports = {
	...base,
	testMatch: ['<rootDir>/test/e2e/**/*.e2e.test.cts'],
	// Installs the pinned n8n on first use (cached in ~/.cache/n8n-nodes-uniall afterwards).
	globalSetup: '<rootDir>/test/e2e/globalSetup.js',
	testTimeout: 600000,
	maxWorkers: 1,
};
