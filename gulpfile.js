// Copies the assets tsc does not emit (icons, codex JSON) next to the compiled node and credential.
const { src, dest } = require('gulp');

function buildAssets() {
	return src(['nodes/**/*.{png,svg,json}', 'credentials/**/*.{png,svg}'], {
		base: '.',
		encoding: false,
	}).pipe(dest('dist'));
}

exports['build:assets'] = buildAssets;
