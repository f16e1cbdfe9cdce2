// Jest globalSetup for `npm run e2e:browser`: one editor for the whole run (UNIALL_N8N_VERSION),
// its URL handed to the test files through the environment (the files run in band, in this
// process, so the stand-in served from here keeps answering). Plain JS: Jest loads it with
// Node's own require; the .cts tools are loaded via tsx.
const { register } = require('tsx/cjs/api');

module.exports = async function globalSetup() {
	// An editor already running (UNIALL_EDITOR_URL, _VERSION, UNIALL_STAND_IN_URL set by hand) is
	// used as it is: quick reruns while writing a test.
	if (process.env.UNIALL_EDITOR_URL) return;
	const unregister = register();
	try {
		const { startTestEditor } = require('../../tools/browser/editor.cts');
		const started = Date.now();
		const editor = await startTestEditor(process.env.UNIALL_N8N_VERSION);
		globalThis.__uniallEditor = editor;
		process.env.UNIALL_EDITOR_URL = editor.url;
		process.env.UNIALL_EDITOR_VERSION = editor.version;
		process.env.UNIALL_STAND_IN_URL = editor.standIn.url;
		process.stdout.write(
			`\nn8n ${editor.version} editor on ${editor.url} after ${Math.round((Date.now() - started) / 1000)} s\n`,
		);
	} finally {
		unregister();
	}
};
