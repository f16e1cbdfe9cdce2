// Dev tooling is TypeScript in .cts files (see tools/README.md); TypeScript imports them as
// `./x.cjs`, which exists only after compilation. Point Jest at the .cts source instead.
const fs = require('node:fs');
const path = require('node:path');

module.exports = (request, options) => {
	if (request.startsWith('.') && request.endsWith('.cjs')) {
		const source = path.resolve(options.basedir, request.replace(/\.cjs$/, '.cts'));
		if (fs.existsSync(source)) return source;
	}
	return options.defaultResolver(request, options);
};
