/** Real-n8n end-to-end tests on one n8n (UNIALL_N8N_VERSION); `npm run e2e` runs them on every version in tools/n8n/versions.cts. */
const base = require('./jest.config');

/** @type {import('jest').Config} */
module.exports = {
	...base,
	testMatch: ['<rootDir>/test/e2e/**/*.e2e.test.cts'],
	// Installs the n8n named by UNIALL_N8N_VERSION (set per version by tools/n8n/matrix.cts) on first use.
	globalSetup: '<rootDir>/test/e2e/globalSetup.js',
	testTimeout: 600000,
	// Two files at a time, each with its own n8n user folder, stand-in and free ports: most of a file's
	// time is n8n's CLI starting up, so two overlap well on 2 cores (2.8.4: 496 s alone, 319 s two at a time).
	maxWorkers: 2,
	// The newest-only long files (a 330 s generation) first, so the other worker runs the rest beside them.
	testSequencer: '<rootDir>/test/e2e/sequencer.js',
};
