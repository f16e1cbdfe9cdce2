// The formatter n8n's node starter ships: tabs, print width 100. `npm run format` writes,
// `npm run format:check` (in CI) fails on any file that is not formatted.
module.exports = {
	semi: true,
	trailingComma: 'all',
	bracketSpacing: true,
	useTabs: true,
	tabWidth: 2,
	arrowParens: 'always',
	singleQuote: true,
	quoteProps: 'as-needed',
	endOfLine: 'lf',
	printWidth: 100,
};
