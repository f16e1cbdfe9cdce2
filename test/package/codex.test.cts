import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The codex decides where n8n's editor lists the node. Its node creator drops, from every search
 * outside the AI view, a node whose `categories` hold "AI" unless `subcategories.AI` holds
 * "Root Nodes" (the editor's filterOutAiNodes, the same in n8n 1.123.x and 2.x; seen in the
 * editor-ui of 2.8.4). The browser suite (test/browser/findNode.browser.test.cts) proves the
 * searches themselves; this is the quick check `npm test` can make without a browser.
 */
const codex = JSON.parse(
	readFileSync(
		path.join(__dirname, '..', '..', 'nodes', 'UniAllGptImage2', 'UniAllGptImage2.node.json'),
		'utf8',
	),
) as {
	node: string;
	categories: string[];
	subcategories: Record<string, string[]>;
	alias: string[];
};

describe('the node codex', () => {
	it('names the node type n8n loads', () => {
		expect(codex.node).toBe('n8n-nodes-uniall.uniAllGptImage2');
	});

	it('is an AI root node, so regular searches keep it', () => {
		expect(codex.categories).toContain('AI');
		expect(codex.subcategories.AI).toContain('Root Nodes');
	});

	it('is not filed as a tool (n8n makes the tool variant itself; a "Tools" node is a sub-node)', () => {
		expect(codex.subcategories.AI).not.toContain('Tools');
	});

	// Issue 28: "generate image" found nothing (n8n's own action is "Generate an image"); the
	// creator matches a search against each alias whole, not word by word.
	it.each(['generate image', 'generate an image', 'create image', 'image generator', 'ai image'])(
		'has the alias users type: %s',
		(term) => {
			expect(codex.alias).toContain(term);
		},
	);
});
