import type { INodeProperties } from 'n8n-workflow';

import { UniAllGptImage2 } from '../../nodes/UniAllGptImage2/UniAllGptImage2.node';
import example1 from '../../examples/1-google-sheets-to-drive.json';
import example2 from '../../examples/2-wordpress-featured-image.json';
import example3 from '../../examples/3-product-photo-to-social.json';
import example4 from '../../examples/4-submit-now-fetch-later.json';
import example5 from '../../examples/5-sheet-to-4k-poster-on-x.json';

const { properties } = new UniAllGptImage2().description;

/** Parameter names the node shows for an operation (what a saved workflow may hold). */
function namesFor(operation: string): Set<string> {
	const shown = properties.filter((p: INodeProperties) => {
		const ops = p.displayOptions?.show?.operation as string[] | undefined;
		return !ops || ops.includes(operation);
	});
	return new Set(shown.map((p) => p.name));
}

describe('example workflows use the node as it is today', () => {
	it.each([example1, example2, example3, example4, example5].map((e) => [e.name, e] as const))(
		'%s',
		(_name, example) => {
			const nodes = example.nodes.filter((n) => n.type === 'n8n-nodes-uniall.uniAllGptImage2');
			expect(nodes.length).toBeGreaterThan(0);
			for (const node of nodes) {
				const parameters = node.parameters as Record<string, unknown>;
				const allowed = namesFor(String(parameters.operation));
				for (const name of Object.keys(parameters))
					expect([node.name, name, allowed.has(name)]).toEqual([node.name, name, true]);
				expect(node.credentials).toEqual({
					uniAllApi: expect.objectContaining({ id: expect.any(String) }),
				});
			}
		},
	);
});
