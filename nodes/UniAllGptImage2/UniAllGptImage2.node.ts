import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodePropertyOptions,
	INodeType,
	INodeTypeDescription,
	NodeConnectionType,
} from 'n8n-workflow';

import * as estimateCost from './actions/estimateCost.operation';
import * as getTask from './actions/getTask.operation';
import * as imageToImage from './actions/imageToImage.operation';
import { router } from './actions/router';
import * as textToImage from './actions/textToImage.operation';
import {
	CREDENTIAL_NAME,
	MAX_REFERENCE_IMAGES,
	MIN_REFERENCE_IMAGES,
	PRICE_PER_IMAGE_USD,
	type Operation,
} from './helpers/contract';

/**
 * The typed literal rather than `NodeConnectionTypes.Main`: n8n-workflow exports the
 * `NodeConnectionTypes` object only from 1.83, and on an n8n with an older n8n-workflow reading
 * it makes the node fail to load ("Cannot read properties of undefined (reading 'Main')").
 */
const MAIN: NodeConnectionType = 'main';

/** The operations, as the editor lists them; their labels also make the subtitle. */
const OPERATION_OPTIONS = [
	{
		name: 'Text to Image',
		value: 'textToImage',
		action: 'Generate an image from text',
		description: 'Create new images from a prompt',
	},
	{
		name: 'Image to Image',
		value: 'imageToImage',
		action: 'Generate an image from reference images',
		description:
			`Create new images from a prompt and ${MIN_REFERENCE_IMAGES} to ${MAX_REFERENCE_IMAGES} ` +
			`reference images`,
	},
	{
		name: 'Estimate Cost',
		value: 'estimateCost',
		action: 'Estimate the cost of a generation',
		description: 'Compute what a generation would cost, without calling UniAll',
	},
	{
		name: 'Get Task',
		value: 'getTask',
		action: 'Get a generation task',
		description: 'Fetch the status or images of a generation submitted earlier',
	},
] satisfies Array<INodePropertyOptions & { value: Operation }>;

export class UniAllGptImage2 implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'UniAll GPT Image-2',
		name: 'uniAllGptImage2',
		icon: { light: 'file:uniall.svg', dark: 'file:uniall.dark.svg' },
		group: ['transform'],
		version: 1,
		// n8n's linter wants the subtitle as a string literal, so the labels are written out here;
		// test/unit/description.test.ts keeps them equal to OPERATION_OPTIONS. A Resolution given
		// by an expression is left out: the canvas cannot evaluate it ($json is empty there), and
		// reading it through $parameter would fail the whole subtitle, so $rawParameter looks first.
		subtitle:
			'={{ { textToImage: "Text to Image", imageToImage: "Image to Image", estimateCost: "Estimate Cost", getTask: "Get Task" }[$parameter["operation"]] + ($parameter["operation"] === "getTask" || String($rawParameter["resolution"]).startsWith("=") ? "" : " · " + $parameter["resolution"]) }}',
		description:
			`Generate images with UniAll GPT Image-2 from a prompt or reference images. ` +
			`Returns each image as a file plus its URL, pixel size and cost in USD ` +
			`(1K $${PRICE_PER_IMAGE_USD['1K']}, 2K $${PRICE_PER_IMAGE_USD['2K']}, ` +
			`4K $${PRICE_PER_IMAGE_USD['4K']} per image).`,
		// Not the display name: n8n numbers a duplicate by appending digits, and to a name that
		// ends in one ("…Image-2") it appends them straight on ("…Image-21").
		defaults: { name: 'UniAll Image' },
		usableAsTool: true,
		inputs: [MAIN],
		outputs: [MAIN],
		credentials: [
			{
				name: CREDENTIAL_NAME,
				required: true,
				displayOptions: { hide: { operation: ['estimateCost'] } },
			},
		],
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				default: 'textToImage',
				options: OPERATION_OPTIONS,
			},
			...textToImage.description,
			...imageToImage.description,
			...estimateCost.description,
			...getTask.description,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
