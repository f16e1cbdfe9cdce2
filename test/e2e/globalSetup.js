// Jest globalSetup for `npm run e2e`: make sure the pinned n8n is installed before any test's
// timer starts (the first run on a machine installs it, about 4 minutes, with progress lines).
// Plain JS because Jest loads this file with Node's own require; the .cts runner is loaded via tsx.
const { register } = require('tsx/cjs/api');

module.exports = async function globalSetup() {
	const unregister = register();
	try {
		const { ensureN8n } = require('../../tools/n8n/runtime.cts');
		await ensureN8n();
	} finally {
		unregister();
	}
};
