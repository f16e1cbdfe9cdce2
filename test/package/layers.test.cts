import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The node's layers, top to bottom (docs/development.md, "Layout"): each file may import only its own layer and
 * the ones below it, and helpers/ stays pure (no n8n context). A newcomer can then trust a
 * folder's name: nothing in helpers/ talks HTTP, nothing in transport/ knows about operations.
 */
const NODE_DIR = path.join(__dirname, '..', '..', 'nodes', 'UniAllGptImage2');
const LAYERS = ['', 'actions', 'transport', 'runState', 'helpers'];

function sourceFiles(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
		entry.isDirectory()
			? sourceFiles(path.join(dir, entry.name))
			: entry.name.endsWith('.ts')
				? [path.join(dir, entry.name)]
				: [],
	);
}

const layerOf = (file: string) => path.relative(NODE_DIR, path.dirname(file)).split(path.sep)[0];
const importsOf = (file: string) =>
	[...readFileSync(file, 'utf8').matchAll(/^import[^;]*?from '([^']+)';/gms)].map((m) => m[1]);

describe('layers of nodes/UniAllGptImage2', () => {
	const files = sourceFiles(NODE_DIR);

	it('has every file in a known layer', () => {
		for (const file of files) expect(LAYERS).toContain(layerOf(file));
	});

	it.each(files.map((file) => [path.relative(NODE_DIR, file), file]))(
		'%s imports only its own layer and the ones below',
		(_name, file) => {
			const own = LAYERS.indexOf(layerOf(file));
			for (const source of importsOf(file).filter((s) => s.startsWith('.'))) {
				const target = layerOf(path.resolve(path.dirname(file), `${source}.ts`));
				expect({ source, layer: LAYERS.indexOf(target) >= own }).toEqual({ source, layer: true });
			}
		},
	);

	it('keeps helpers/ free of n8n context (no IExecuteFunctions, no n8n errors)', () => {
		for (const file of files.filter((f) => layerOf(f) === 'helpers')) {
			const text = readFileSync(file, 'utf8');
			expect({
				file,
				usesContext: /IExecuteFunctions|NodeApiError|NodeOperationError/.test(text),
			}).toEqual({ file, usesContext: false });
		}
	});
});
