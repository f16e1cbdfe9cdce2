import {
	NodeHelpers,
	Workflow,
	type INodeParameters,
	type INodeProperties,
	type INodeTypes,
} from 'n8n-workflow';

import { UniAllApi } from '../../credentials/UniAllApi.credentials';
import { ASPECT_RATIOS, RESOLUTIONS } from '../../nodes/UniAllGptImage2/helpers/contract';
import { UniAllGptImage2 } from '../../nodes/UniAllGptImage2/UniAllGptImage2.node';

const { description } = new UniAllGptImage2();
const byName = (name: string, operation: string) =>
	description.properties.find(
		(p) =>
			p.name === name &&
			(p.displayOptions?.show?.operation as string[] | undefined)?.includes(operation),
	) as INodeProperties;

/** A node of this type on a canvas, with `parameters` as the editor holds them. */
const nodeWith = (parameters: INodeParameters) => ({
	id: 'n1',
	name: 'UniAll Image',
	type: 'n8n-nodes-uniall.uniAllGptImage2',
	typeVersion: 1,
	position: [0, 0] as [number, number],
	parameters,
});

describe('node description (public contract: saved workflows depend on these names)', () => {
	it('identifies the node', () => {
		expect(description).toMatchObject({
			name: 'uniAllGptImage2',
			displayName: 'UniAll GPT Image-2',
			version: 1,
			usableAsTool: true,
		});
		expect(description.credentials).toEqual([
			expect.objectContaining({ name: 'uniAllApi', required: true }),
		]);
	});

	it('offers the four operations under their contract values', () => {
		const operation = description.properties.find((p) => p.name === 'operation');
		expect(operation?.options?.map((o) => (o as { value: string }).value)).toEqual([
			'textToImage',
			'imageToImage',
			'estimateCost',
			'getTask',
		]);
	});

	it.each(['textToImage', 'imageToImage'])('%s has every generation parameter', (op) => {
		for (const name of ['prompt', 'aspectRatio', 'resolution', 'numImages', 'options'])
			expect(byName(name, op)).toBeDefined();
		expect(byName('aspectRatio', op).options?.map((o) => (o as { value: string }).value)).toEqual([
			...ASPECT_RATIOS,
		]);
		expect(byName('resolution', op).options?.map((o) => (o as { value: string }).value)).toEqual([
			...RESOLUTIONS,
		]);
		expect(byName('aspectRatio', op).default).toBe('1:1');
		expect(byName('resolution', op).default).toBe('1K');
		expect(byName('numImages', op).default).toBe(1);
		const optionNames = (byName('options', op).options as INodeProperties[])
			.map((o) => o.name)
			.sort();
		// Background twice: with Output Format JPEG it shows a hint (qualityBackground.test.ts).
		expect(optionNames).toEqual([
			'background',
			'background',
			'binaryPropertyName',
			'concurrency',
			'downloadImages',
			'fileName',
			'maxCostPerExecution',
			'maxRetries',
			'model',
			'outputCompression',
			'outputFormat',
			'pollInterval',
			'quality',
			'requestFormat',
			'timeout',
			'waitForCompletion',
		]);
	});

	it('imageToImage has the reference images collection with url and binary sources', () => {
		const refs = byName('referenceImages', 'imageToImage');
		const image = (refs.options as Array<{ name: string; values: INodeProperties[] }>)[0];
		expect(image.name).toBe('image');
		expect(image.values.map((v) => v.name)).toEqual(['source', 'url', 'binaryPropertyName']);
		expect(byName('referenceImages', 'textToImage')).toBeUndefined();
	});

	it('getTask takes a task id, by default from the item that submitted it', () => {
		expect(byName('taskId', 'getTask').default).toBe('={{ $json.taskId }}');
	});

	// n8n numbers a duplicate by appending digits to the name; to a name ending in a digit it
	// appends them straight on ("UniAll GPT Image-2" became "UniAll GPT Image-21", see n8n's
	// editor useUniqueNodeName). Saved workflows keep the names they were saved with.
	it('gives new nodes a default name n8n can number cleanly, the display name unchanged', () => {
		expect(description.defaults.name).toBe('UniAll Image');
		expect(description.defaults.name).not.toMatch(/\d$/);
		expect(description.displayName).toBe('UniAll GPT Image-2');
	});

	// n8n's own parameter check (the editor's node issues, 1.123.x and 2.x) reads
	// minRequiredFields / maxAllowedFields of a fixedCollection.
	it.each([
		[6, null],
		[7, ['At most 6 fields are allowed.']],
	])("the editor flags Reference Images with %i images by n8n's own check", (count, issues) => {
		const parameters = {
			operation: 'imageToImage',
			prompt: 'p',
			referenceImages: {
				image: Array.from({ length: count }, (_, i) => ({ source: 'url', url: `https://x/${i}` })),
			},
		};
		const found = NodeHelpers.getNodeParametersIssues(
			description.properties,
			nodeWith(parameters),
			description,
		);
		expect(found?.parameters?.referenceImages ?? null).toEqual(issues);
	});

	it('shows the price-per-image hint where a generation is priced, not on Get Task', () => {
		for (const op of ['textToImage', 'imageToImage', 'estimateCost'])
			expect(byName('resolution', op).hint).toBe(
				'Price per image: 1K $0.01836, 2K $0.05576, 4K $0.11424',
			);
		expect(byName('resolution', 'getTask').hint).toBe(
			"Only for the cost, and only when UniAll's answer reports no cost or resolution and " +
				'the image size is not one the docs list',
		);
	});

	it('labels each Resolution with what it delivers per aspect ratio (the documented size table)', () => {
		const options = byName('resolution', 'textToImage').options as Array<{
			name: string;
			description: string;
		}>;
		// Longest sides over every ratio of the docs' table: a 1:1 4K image is 2048 or 2880 px.
		expect(options.map((o) => o.name)).toEqual([
			'1K (Longest Side 1024–1536 px)',
			'2K (Longest Side 1536–2560 px)',
			'4K (Longest Side 2048–3840 px)',
		]);
		expect(options[2].description).toContain('1:1 2048×2048 or 2880×2880, 16:9 3840×2160');
		expect(options[2].description).toContain('4:5 none documented');
		expect(options[0].description).toMatch(/^\$0\.01836 per image\. Sizes: 1:1 1024×1024, /);
		for (const op of ['imageToImage', 'estimateCost', 'getTask'])
			expect(
				(byName('resolution', op).options as Array<{ name: string }>).map((o) => o.name),
			).toEqual(options.map((o) => o.name));
	});
});

describe('subtitle', () => {
	/**
	 * The subtitle must be a string literal (n8n's linter), so it writes the operation labels out.
	 * Read back here: label by operation, and what follows for a resolution.
	 */
	const subtitle = String(new UniAllGptImage2().description.subtitle);
	const labels = JSON.parse(
		/\{ (\{[^}]*\})\[\$parameter\["operation"\]\]/
			.exec(subtitle)?.[1]
			.replace(/(\w+):/g, '"$1":') ?? '{}',
	) as Record<string, string>;

	it('labels every operation as the operation list does, and shows the resolution where it applies', () => {
		const operation = new UniAllGptImage2().description.properties.find(
			(p) => p.name === 'operation',
		);
		const options = operation?.options as Array<{ name: string; value: string }>;
		expect(labels).toEqual(
			Object.fromEntries(options.map((option) => [option.value, option.name])),
		);
	});

	/** The subtitle as the canvas evaluates it: n8n-workflow's Expression, mode 'internal', no run data. */
	function canvasSubtitle(parameters: INodeParameters): unknown {
		const type = new UniAllGptImage2();
		const nodeTypes = {
			getByName: () => type,
			getByNameAndVersion: () => type,
			getKnownTypes: () => ({}),
		} as unknown as INodeTypes;
		const node = nodeWith(parameters);
		const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
		return workflow.expression.getSimpleParameterValue(node, subtitle, 'internal', {});
	}

	it.each([
		[{ operation: 'textToImage', resolution: '2K' }, 'Text to Image · 2K'],
		[{ operation: 'imageToImage', resolution: '4K' }, 'Image to Image · 4K'],
		[{ operation: 'estimateCost', resolution: '1K' }, 'Estimate Cost · 1K'],
		[{ operation: 'getTask', resolution: '1K' }, 'Get Task'],
		// The demo workflow's Resolution comes from the row: the canvas cannot evaluate it.
		[{ operation: 'textToImage', resolution: '={{ $json.resolution }}' }, 'Text to Image'],
		[{ operation: 'estimateCost', resolution: '={{ $json.res }}' }, 'Estimate Cost'],
	])('reads %j on the canvas as %j', (parameters, shown) => {
		expect(canvasSubtitle(parameters)).toBe(shown);
	});
});

describe('credential', () => {
	const credential = new UniAllApi();
	it('has a password key field and a base URL defaulting to the production gateway', () => {
		expect(credential.name).toBe('uniAllApi');
		const key = credential.properties.find((p) => p.name === 'apiKey');
		expect(key?.typeOptions?.password).toBe(true);
		expect(credential.properties.find((p) => p.name === 'baseUrl')?.default).toBe(
			'https://api.uniall.ai',
		);
	});

	it('tests the key on the free models route', () => {
		expect(credential.test.request.url).toBe('/v1/models');
		expect(credential.test.request.method).toBe('GET');
	});
});
