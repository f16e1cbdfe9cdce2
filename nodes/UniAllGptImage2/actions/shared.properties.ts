import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import {
	ASPECT_RATIOS,
	DEFAULT_MODEL,
	DOCUMENTED_SIZES,
	MAX_IMAGES,
	MAX_REFERENCE_IMAGES,
	MIN_IMAGES,
	MIN_REFERENCE_IMAGES,
	OPTION_LIMITS,
	PRICE_PER_IMAGE_USD,
	RESOLUTIONS,
	type Resolution,
} from '../helpers/contract';

/**
 * Parameter definitions shared by several operations. Their `name`s are a public contract: saved
 * workflows store values under them, so they never change once released. Option defaults must be
 * literals for n8n's linter; a unit test keeps them equal to OPTION_DEFAULTS, which the code reads.
 */
const RATIO_LABEL: Record<string, string> = {
	'1:1': 'Square 1:1',
	'16:9': 'Landscape 16:9',
	'9:16': 'Portrait 9:16 (Stories, Reels)',
	'4:3': 'Landscape 4:3',
	'3:4': 'Portrait 3:4',
	'3:2': 'Landscape 3:2',
	'2:3': 'Portrait 2:3',
	'4:5': 'Portrait 4:5 (Instagram Feed)',
};

const usd = (n: number) => `$${n}`;
const timesOneK = (r: keyof typeof PRICE_PER_IMAGE_USD) =>
	Math.round(PRICE_PER_IMAGE_USD[r] / PRICE_PER_IMAGE_USD['1K']);
/** The limit an option's description states, from OPTION_LIMITS like the editor's min/max. */
const range = ({ min, max }: { min: number; max: number }, unit = '') =>
	`From ${min.toLocaleString('en-US')} to ${max.toLocaleString('en-US')}${unit}.`;
const px = (size: string) => size.replace('x', '×');

/**
 * What a tier delivers, from the documented size table: the label gives the range of the longest
 * side over every ratio (a 1:1 4K image is 2048 px, not 3840), the description each ratio's sizes.
 */
function resolutionOption(tier: Resolution): INodePropertyOptions {
	const sides = ASPECT_RATIOS.flatMap((ratio) =>
		DOCUMENTED_SIZES[tier][ratio].map((size) => Math.max(...size.split('x').map(Number))),
	);
	const perRatio = ASPECT_RATIOS.map((ratio) => {
		const sizes = DOCUMENTED_SIZES[tier][ratio];
		return `${ratio} ${sizes.length > 0 ? sizes.map(px).join(' or ') : 'none documented'}`;
	});
	return {
		name: `${tier} (Longest Side ${Math.min(...sides)}–${Math.max(...sides)} px)`,
		value: tier,
		description: `${usd(PRICE_PER_IMAGE_USD[tier])} per image. Sizes: ${perRatio.join(', ')}.`,
	};
}

export const promptProperty: INodeProperties = {
	displayName: 'Prompt',
	name: 'prompt',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. A flat-lay photo of {{ $json.product }} on a marble table, soft morning light',
	description: 'What the image should show. Use an expression to build it from the incoming row.',
	typeOptions: { rows: 4 },
};

export const aspectRatioProperty: INodeProperties = {
	displayName: 'Aspect Ratio',
	name: 'aspectRatio',
	type: 'options',
	default: '1:1',
	description: 'Shape of the image. The exact pixel size is read from the delivered image.',
	options: ASPECT_RATIOS.map((value) => ({ name: RATIO_LABEL[value], value })),
};

/** Resolution with the price hint of the generation operations (Get Task takes it without). */
export const resolutionProperty: INodeProperties = {
	displayName: 'Resolution',
	name: 'resolution',
	type: 'options',
	default: '1K',
	description:
		'Size tier. Higher tiers cost more per image. The exact pixel size depends on the aspect ' +
		'ratio and is read from the delivered image.',
	options: RESOLUTIONS.map(resolutionOption),
};

export const resolutionWithPriceHint: INodeProperties = {
	...resolutionProperty,
	hint:
		`Price per image: 1K ${usd(PRICE_PER_IMAGE_USD['1K'])}, ` +
		`2K ${usd(PRICE_PER_IMAGE_USD['2K'])}, 4K ${usd(PRICE_PER_IMAGE_USD['4K'])}`,
};

export const fourKNotice: INodeProperties = {
	displayName:
		`4K costs ${usd(PRICE_PER_IMAGE_USD['4K'])} per image, ` +
		`about ${timesOneK('4K')} times the price of 1K. ` +
		`Use Estimate Cost to see the total before you run many rows.`,
	name: 'fourKNotice',
	type: 'notice',
	default: '',
	displayOptions: { show: { resolution: ['4K'] } },
};

export const numImagesProperty: INodeProperties = {
	displayName: 'Number of Images',
	name: 'numImages',
	type: 'number',
	default: 1,
	typeOptions: { minValue: MIN_IMAGES, maxValue: MAX_IMAGES, numberPrecision: 0 },
	description:
		`How many images to generate for each input item (${MIN_IMAGES} to ${MAX_IMAGES}). ` +
		`Each image is billed; each becomes its own output item.`,
};

export const referenceImagesProperty: INodeProperties = {
	displayName: 'Reference Images',
	name: 'referenceImages',
	type: 'fixedCollection',
	placeholder: 'Add Reference Image',
	default: { image: [{ source: 'url', url: '' }] },
	required: true,
	description:
		`Images the new image is based on (${MIN_REFERENCE_IMAGES} to ${MAX_REFERENCE_IMAGES}): ` +
		`PNG, JPEG or WebP`,
	// The editor flags a count outside these (n8n's own parameter check, 1.123.x and 2.x); the
	// node refuses it again at run time, where expressions are resolved.
	typeOptions: {
		multipleValues: true,
		multipleValueButtonText: 'Add Reference Image',
		minRequiredFields: MIN_REFERENCE_IMAGES,
		maxAllowedFields: MAX_REFERENCE_IMAGES,
	},
	options: [
		{
			displayName: 'Image',
			name: 'image',
			values: [
				{
					displayName: 'Source',
					name: 'source',
					type: 'options',
					default: 'url',
					options: [
						{
							name: 'Image URL',
							value: 'url',
							description: 'A public http(s) address of the image',
						},
						{
							name: 'Binary File',
							value: 'binary',
							description: 'A file from the previous node, e.g. a downloaded product photo',
						},
					],
				},
				{
					displayName: 'Image URL',
					name: 'url',
					type: 'string',
					default: '',
					placeholder: 'e.g. https://example.com/product.png',
					description: 'Public http(s) address of the image. It is sent to UniAll as it is.',
					displayOptions: { show: { source: ['url'] } },
				},
				{
					displayName: 'Input Binary Field',
					name: 'binaryPropertyName',
					type: 'string',
					default: 'data',
					placeholder: 'e.g. data',
					hint: 'The name of the input binary field containing the image',
					description:
						'The file is sent to UniAll inline (as a data: URL), so it does not need to be public',
					displayOptions: { show: { source: ['binary'] } },
				},
			],
		},
	],
};

export const taskIdProperty: INodeProperties = {
	displayName: 'Task ID',
	name: 'taskId',
	type: 'string',
	required: true,
	// The field a row submitted with Wait for Completion off carries, so Wait → Get Task just works.
	default: '={{ $json.taskId }}',
	placeholder: 'e.g. {{ $json.taskId }}',
	description: 'The ID of a generation submitted earlier with Wait for Completion turned off',
};

const binaryPropertyOption: INodeProperties = {
	displayName: 'Put Output Image in Field',
	name: 'binaryPropertyName',
	type: 'string',
	default: 'data',
	description: 'Name of the binary field the image is stored in, for the next node to pick up',
};

const downloadImagesOption: INodeProperties = {
	displayName: 'Download Images',
	name: 'downloadImages',
	type: 'boolean',
	default: true,
	description:
		'Whether to download each image into binary data. ' +
		'Turn off to get only image URLs (they may expire after a day).',
};

const fileNameOption: INodeProperties = {
	displayName: 'File Name',
	name: 'fileName',
	type: 'string',
	default: '',
	placeholder: 'e.g. {{ $json.sku }}-poster',
	description:
		"Name of the image's file, e.g. from an expression. The extension (.png, .jpg, .webp) is " +
		'added when missing; with several images per item, -0, -1, … before it. Without this ' +
		'option: gpt-image-2-<execution ID>-item<N>-<image index>, N as in [item N].',
};

const timeoutOption: INodeProperties = {
	displayName: 'Timeout (Seconds)',
	name: 'timeout',
	type: 'number',
	default: 300,
	typeOptions: {
		minValue: OPTION_LIMITS.timeoutSeconds.min,
		maxValue: OPTION_LIMITS.timeoutSeconds.max,
	},
	description:
		'Longest time one item may take, including waiting for the generation and downloading. ' +
		'On timeout the error names the task ID so you can fetch it later. ' +
		`${range(OPTION_LIMITS.timeoutSeconds, ' seconds')} A 4K generation can take a minute.`,
};

const pollIntervalOption: INodeProperties = {
	displayName: 'Poll Interval (Seconds)',
	name: 'pollInterval',
	type: 'number',
	default: 3,
	typeOptions: {
		minValue: OPTION_LIMITS.pollIntervalSeconds.min,
		maxValue: OPTION_LIMITS.pollIntervalSeconds.max,
		numberPrecision: 2,
	},
	description:
		'How often to ask UniAll whether a generation is finished. ' +
		range(OPTION_LIMITS.pollIntervalSeconds, ' seconds'),
};

const modelOption: INodeProperties = {
	displayName: 'Model',
	name: 'model',
	type: 'string',
	default: DEFAULT_MODEL,
	description: 'UniAll model ID. Leave as it is unless UniAll support tells you otherwise.',
};

const concurrencyOption: INodeProperties = {
	displayName: 'Concurrency',
	name: 'concurrency',
	type: 'number',
	default: 4,
	typeOptions: {
		minValue: OPTION_LIMITS.concurrency.min,
		maxValue: OPTION_LIMITS.concurrency.max,
		numberPrecision: 0,
	},
	description:
		'How many items are generated at the same time. 1 runs them one after another. ' +
		`Output order always follows the input. ${range(OPTION_LIMITS.concurrency)}`,
};

const maxRetriesOption: INodeProperties = {
	displayName: 'Max Retries',
	name: 'maxRetries',
	type: 'number',
	default: 2,
	typeOptions: {
		minValue: OPTION_LIMITS.maxRetries.min,
		maxValue: OPTION_LIMITS.maxRetries.max,
		numberPrecision: 0,
	},
	description:
		'How often to retry after a server or network error. ' +
		'Rate limits (HTTP 429) do not count: UniAll accepted nothing, ' +
		'so the node waits them out (all rows together, ' +
		'honouring Retry-After) until the Timeout. A generation is only resubmitted when UniAll ' +
		'provably did not start it, so you are never billed twice. ' +
		range(OPTION_LIMITS.maxRetries),
};

const maxCostOption: INodeProperties = {
	displayName: 'Max Cost per Execution (USD)',
	name: 'maxCostPerExecution',
	type: 'number',
	default: 5,
	typeOptions: {
		minValue: OPTION_LIMITS.maxCostPerExecution.min,
		maxValue: OPTION_LIMITS.maxCostPerExecution.max,
		numberPrecision: 2,
	},
	description:
		'Budget guard: items that would push what this node spends in one execution above this ' +
		'amount are refused before anything is submitted. Without this option there is no limit; ' +
		`adding it starts at $5.00. ${range(OPTION_LIMITS.maxCostPerExecution, ' USD')}`,
};

const waitForCompletionOption: INodeProperties = {
	displayName: 'Wait for Completion',
	name: 'waitForCompletion',
	type: 'boolean',
	default: true,
	description:
		'Whether to wait until the images are ready. ' +
		'Turn off to return the task ID at once and fetch the images later with Get Task.',
};

const requestFormatOption: INodeProperties = {
	displayName: 'Request Format',
	name: 'requestFormat',
	type: 'options',
	default: 'auto',
	description:
		'Which of the two request bodies UniAll documents for this model to send. ' +
		'Auto tries the UniAll format and, if UniAll refuses its fields, ' +
		'switches to the OpenAI-compatible one once for the whole run.',
	options: [
		{
			name: 'Auto',
			value: 'auto',
			description:
				'Send the UniAll format; if UniAll does not know its fields, ' +
				'resend once in the OpenAI-compatible format and keep it',
		},
		{
			name: 'OpenAI-Compatible (Size, N)',
			value: 'openai',
			description:
				'Size picked from the documented table, n images; reference images go to /v1/images/edits',
		},
		{
			name: 'UniAll (Aspect Ratio, Resolution)',
			value: 'uniall',
			description:
				"The body of UniAll's GPT Image-2 article: aspect_ratio, resolution, num_images and image_url",
		},
	],
};

const outputFormatOption: INodeProperties = {
	displayName: 'Output Format',
	name: 'outputFormat',
	type: 'options',
	default: 'png',
	description:
		'File type of the image. PNG is lossless but large (a 4K photo can pass 10 MB); ' +
		'JPEG is much smaller: use it for Instagram and X.',
	options: [
		{
			name: 'JPEG',
			value: 'jpeg',
			description: 'Small files; required by Instagram, fits X and Telegram limits',
		},
		{ name: 'PNG', value: 'png', description: 'Lossless, largest files (the default)' },
		{ name: 'WebP', value: 'webp', description: 'Small files; not accepted everywhere' },
	],
};

const outputCompressionOption: INodeProperties = {
	displayName: 'Output Compression',
	name: 'outputCompression',
	type: 'number',
	default: 85,
	typeOptions: {
		minValue: OPTION_LIMITS.outputCompression.min,
		maxValue: OPTION_LIMITS.outputCompression.max,
		numberPrecision: 0,
	},
	// Shown only once Output Format is JPEG or WebP: PNG has no compression level.
	displayOptions: { show: { outputFormat: ['jpeg', 'webp'] } },
	description:
		'Image quality for JPEG and WebP, 0 to 100: lower = smaller file, 100 = best quality',
};

const qualityOption: INodeProperties = {
	displayName: 'Quality',
	name: 'quality',
	type: 'options',
	default: 'medium',
	description:
		"Rendering quality. UniAll's default is Medium. The price does not change: " +
		'gpt-image-2-origin is billed by size. High takes longer: raise Timeout, or for big ' +
		'batches turn Wait for Completion off and fetch the images with Get Task.',
	options: [
		{ name: 'Low', value: 'low', description: 'Fastest' },
		{ name: 'Medium', value: 'medium', description: "UniAll's default" },
		{ name: 'High', value: 'high', description: 'Most detail; can take minutes per image' },
	],
};

const backgroundOption: INodeProperties = {
	displayName: 'Background',
	name: 'background',
	type: 'options',
	default: 'auto',
	description:
		'Transparent suits product shots for shops; it needs Output Format PNG (the default) or ' +
		'WebP. Some gateways return an opaque image anyway: the item then says so in a notice ' +
		'(same price).',
	options: [
		{ name: 'Auto', value: 'auto', description: 'The model decides' },
		{ name: 'Opaque', value: 'opaque' },
		{
			name: 'Transparent',
			value: 'transparent',
			description: 'With PNG or WebP; refused with JPEG, which has no transparency',
		},
	],
};

/**
 * Background as the editor shows it: with Output Format JPEG, the same option with a hint that
 * Transparent is refused there. One of the two always shows, so n8n never drops the value (it
 * drops hidden ones), and the node's own refusal names both options whatever the editor held.
 */
const backgroundOptions: INodeProperties[] = [
	{ ...backgroundOption, displayOptions: { hide: { outputFormat: ['jpeg'] } } },
	{
		...backgroundOption,
		displayOptions: { show: { outputFormat: ['jpeg'] } },
		hint: 'JPEG has no transparency: Transparent is refused with it. Use PNG or WebP for a transparent background.',
	},
];

const optionsCollection = (options: INodeProperties[]): INodeProperties => ({
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options,
});

export const generationOptions = () =>
	optionsCollection([
		...backgroundOptions,
		concurrencyOption,
		downloadImagesOption,
		fileNameOption,
		maxCostOption,
		maxRetriesOption,
		modelOption,
		outputCompressionOption,
		outputFormatOption,
		pollIntervalOption,
		binaryPropertyOption,
		qualityOption,
		requestFormatOption,
		timeoutOption,
		waitForCompletionOption,
	]);

export const getTaskOptions = () =>
	optionsCollection([
		downloadImagesOption,
		fileNameOption,
		maxRetriesOption,
		binaryPropertyOption,
		timeoutOption,
	]);
