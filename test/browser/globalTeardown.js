// Stops the editor that globalSetup.js started (and removes its user folder).
module.exports = async function globalTeardown() {
	await globalThis.__uniallEditor?.stop();
};
