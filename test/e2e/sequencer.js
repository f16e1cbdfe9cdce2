// Jest testSequencer for `npm run e2e`: Jest's own order (slowest known first, else largest file),
// with the newest-only long files of tools/n8n/versions.cts moved to the front. On a fresh clone
// Jest knows no durations and would start the small 330 s file last, alone on one worker.
// Plain JS because Jest loads this file with Node's own require; the .cts list is loaded via tsx.
const Sequencer = require('@jest/test-sequencer').default;
const { register } = require('tsx/cjs/api');

const unregister = register();
const { longFilesFirst } = require('../../tools/n8n/versions.cts');
unregister();

class LongFilesFirst extends Sequencer {
	async sort(tests) {
		return longFilesFirst(await super.sort(tests), (test) => test.path);
	}
}

module.exports = LongFilesFirst;
