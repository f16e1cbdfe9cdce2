/**
 * The downstream part of three published n8n.io templates that generate an image with n8n's OpenAI
 * node or an HTTP Request to an image API, reproduced node for node (types, versions, parameters
 * and links as published; read from the template JSON n8n.io serves, mirrored in the public
 * repository gao51-qw/n8nworkflow.com under public/data/workflows/<number>/<number>.json), with
 * the image step passed in: the published one is what users have, `uniall()` is the swap.
 *
 * What is not the template's own: a Set node with the template trigger's name stands in for the
 * trigger (Telegram Trigger, a form, a PDF → LLM chain), and the placeholders the template asks
 * its users to fill (site URL, API key, chat ID) point at the local stand-ins. Sticky notes, and
 * nodes no stand-in can serve (Google Drive, Gmail), are left out; the test names them.
 */
import { node, type WorkflowNode as Node } from '../../tools/n8n/workflow.cjs';
import { graph, trigger } from './workflows.cjs';

export type Credential = { id: string; name: string };

/** A Set node (raw JSON) with the name of the template's trigger, emitting what it would. */
export const triggerStandIn = (name: string, json: Record<string, unknown>) =>
	node(name, 'n8n-nodes-base.set', 3.4, {
		mode: 'raw',
		jsonOutput: JSON.stringify(json),
		options: {},
	});

/** The message a Telegram Trigger emits for a text sent to the bot. */
export const telegramUpdate = (text: string, fromId: number) => ({
	update_id: 1,
	message: {
		message_id: 10,
		from: { id: fromId, is_bot: false, first_name: 'Ada' },
		chat: { id: fromId, first_name: 'Ada', type: 'private' },
		date: 1_767_225_600,
		text,
	},
});

/**
 * Template 2216, "Image creation with OpenAI and Telegram" (https://n8n.io/workflows/2216):
 * Telegram Trigger → OpenAI (image) → Merge (append, with the trigger's item) → Aggregate (all
 * item data, binaries included) → Telegram sendPhoto, whose chat ID is `$json.data[1]…`: the
 * trigger's item, second after the one image. `oneItemPerImage` applies the README's step for
 * Number of Images above 1: Merge and Aggregate deleted, the chat ID read by node name.
 */
export function template2216(
	image: Node,
	telegram: Credential,
	update: Record<string, unknown>,
	{ oneItemPerImage = false } = {},
) {
	const sendPhoto = node(
		'Telegram',
		'n8n-nodes-base.telegram',
		1.1,
		{
			chatId: oneItemPerImage
				? "={{ $('Telegram Trigger').item.json.message.from.id }}"
				: '={{ $json.data[1].message.from.id }}',
			operation: 'sendPhoto',
			binaryData: true,
			additionalFields: {},
		},
		{ credentials: { telegramApi: telegram } },
	);
	const nodes = [trigger(), triggerStandIn('Telegram Trigger', update), image, sendPhoto];
	if (oneItemPerImage)
		return graph('template 2216 swapped, one item per image', nodes, [
			['Start', 'Telegram Trigger'],
			['Telegram Trigger', image.name],
			[image.name, 'Telegram'],
		]);
	const merge = node('Merge', 'n8n-nodes-base.merge', 2.1, {});
	const aggregate = node('Aggregate', 'n8n-nodes-base.aggregate', 1, {
		options: { includeBinaries: true },
		aggregate: 'aggregateAllItemData',
	});
	return graph(
		'template 2216',
		[...nodes, merge, aggregate],
		[
			['Start', 'Telegram Trigger'],
			['Telegram Trigger', image.name],
			['Telegram Trigger', 'Merge', 0, 1],
			[image.name, 'Merge'],
			['Merge', 'Aggregate'],
			['Aggregate', 'Telegram'],
		],
	);
}

/** Template 4391's form answer: a prompt and quality, no input image (the generation path). */
export const formSubmission = (prompt: string, quality: string) => ({
	Promt: prompt,
	quality,
	'input image url': '',
	submittedAt: '2026-01-01T12:00:00.000Z',
	formMode: 'production',
});

/** Template 4391's Convert to File, which reads the OpenAI answer's base64. */
export const convertB64ToFile = () =>
	node('Convert json binary to File', 'n8n-nodes-base.convertToFile', 1.1, {
		options: {
			fileName: '={{ $now.format(\'yyyy-MM-dd_HHmmss\')+".png" }}',
			mimeType: 'image/png',
		},
		operation: 'toBinary',
		sourceProperty: 'data[0].b64_json',
	});

/**
 * Template 4391, "Generate & edit images with OpenAI GPT-Image-1 and share via Telegram"
 * (https://n8n.io/workflows/4391), its generation path with the imgbb upload: form → Switch Mode
 * (fallback output: no input image) → Image Generation (HTTP Request) → Convert json binary to
 * File (`data[0].b64_json`) → SETUP API KEY → Upload Result Image to imgbb → File Link1 → Send to
 * Telegram (the imgbb URL, caption from the form by node name, MarkdownV2). `steps` are the
 * nodes between Switch Mode and SETUP API KEY: as published, the HTTP Request and Convert to
 * File; swapped, UniAll alone (or UniAll with the Convert to File kept, to show it fails).
 */
export function template4391(
	steps: Node[],
	{
		socialUrl,
		imgbbKey,
		chatId,
		telegram,
		form,
	}: {
		socialUrl: string;
		imgbbKey: string;
		chatId: string;
		telegram: Credential;
		form: Record<string, unknown>;
	},
) {
	const isTrue = (id: string, leftValue: string) => ({
		id,
		operator: { type: 'boolean', operation: 'true', singleValue: true },
		leftValue,
		rightValue: '',
	});
	const rule = (outputKey: string, condition: Record<string, unknown>) => ({
		outputKey,
		conditions: {
			options: { version: 2, leftValue: '', caseSensitive: true, typeValidation: 'strict' },
			combinator: 'and',
			conditions: [condition],
		},
		renameOutput: true,
	});
	const nodes = [
		trigger(),
		triggerStandIn('On form submission', form),
		node('Switch Mode', 'n8n-nodes-base.switch', 3.2, {
			rules: {
				values: [
					rule(
						'file',
						isTrue(
							'6c2e2793-96f4-4d15-af76-926d1fdcee71',
							"={{ $json['input image'] !== null && $json['input image url'].isNotEmpty() }}",
						),
					),
					rule(
						'file_url',
						isTrue(
							'9d464a07-f5fe-48af-b524-6ca60479fda6',
							"={{ $json['input image url'] !== null && $json['input image url'].isNotEmpty() }}",
						),
					),
				],
			},
			options: { fallbackOutput: 'extra' },
		}),
		...steps,
		node('SETUP API KEY', 'n8n-nodes-base.set', 3.4, {
			options: {},
			assignments: {
				assignments: [
					{
						id: 'f0df22ed-6c69-4204-8cfb-8dae51ea8fd4',
						name: 'IMGBB_API_KEY',
						type: 'string',
						value: imgbbKey,
					},
				],
			},
			includeOtherFields: true,
		}),
		node('Upload Result Image to imgbb', 'n8n-nodes-base.httpRequest', 4.2, {
			url: `${socialUrl}/1/upload`,
			method: 'POST',
			options: { redirect: { redirect: {} } },
			sendBody: true,
			contentType: 'multipart-form-data',
			bodyParameters: {
				parameters: [
					{ name: 'image', parameterType: 'formBinaryData', inputDataFieldName: 'data' },
					{ name: 'key', value: '={{ $json.IMGBB_API_KEY }}' },
				],
			},
		}),
		node('File Link1', 'n8n-nodes-base.set', 3.4, {
			options: {},
			assignments: {
				assignments: [
					{
						id: 'df673a7d-7ff2-4c7e-835f-7c65e58c5ad4',
						name: 'ViewLink',
						type: 'string',
						value: '={{ $json.data.url }}',
					},
					{
						id: 'c3447718-d652-45d7-9c6f-6a1d4f29a68d',
						name: 'ContentLink',
						type: 'string',
						value: '={{ $json.data.image.url }}',
					},
				],
			},
		}),
		node(
			'Send to Telegram',
			'n8n-nodes-base.telegram',
			1.2,
			{
				file: '={{ $json.ContentLink }}',
				chatId,
				operation: 'sendPhoto',
				additionalFields: {
					caption:
						"={{ $('On form submission').item.json.Promt }}\n{{ $('On form submission').item.json.quality }}\n\n[Result]({{ $json.ViewLink }})",
					parse_mode: 'MarkdownV2',
				},
			},
			{ credentials: { telegramApi: telegram } },
		),
	];
	const chain = ['Switch Mode', ...steps.map((s) => s.name), 'SETUP API KEY'];
	return graph('template 4391', nodes, [
		['Start', 'On form submission'],
		['On form submission', 'Switch Mode'],
		...chain
			.slice(0, -1)
			.map((from, i): [string, string, number] => [from, chain[i + 1], i === 0 ? 2 : 0]),
		['SETUP API KEY', 'Upload Result Image to imgbb'],
		['Upload Result Image to imgbb', 'File Link1'],
		['File Link1', 'Send to Telegram'],
	]);
}

/**
 * Template 3010, "Easy WordPress content creation from PDF docs + human in the loop Gmail"
 * (https://n8n.io/workflows/3010), from the approved post on: Create Wordpress Post → pollinations.ai
 * (HTTP Request, an image) → Upload Image to Wordpress (binary body, `cover-image-<post id>.jpeg`)
 * → Set Image on Wordpress Post (`featured_media`) → Markdown → Merge (by position, with the image)
 * → Telegram Partial Blog (sendPhoto, chat ID from `$env`); and the image → Get Base64 → Save Image
 * to imgbb.com. `image` replaces pollinations.ai. Gmail Final Blog (after the Merge) is left out.
 */
export function template3010(
	image: Node,
	{
		socialUrl,
		imgbbKey,
		wordpress,
		telegram,
		post,
	}: {
		socialUrl: string;
		imgbbKey: string;
		wordpress: Credential;
		telegram: Credential;
		post: { title: string; content: string };
	},
) {
	const wordpressAuth = {
		authentication: 'predefinedCredentialType',
		nodeCredentialType: 'wordpressApi',
	};
	const lenient = { onError: 'continueRegularOutput', alwaysOutputData: true };
	const nodes = [
		trigger(),
		triggerStandIn('Get Blog Post', post),
		node(
			'Create Wordpress Post',
			'n8n-nodes-base.wordpress',
			1,
			{
				title: "={{ $('Get Blog Post').item.json.title }}",
				additionalFields: {
					status: 'draft',
					content: "={{ $('Get Blog Post').item.json.content }}",
				},
			},
			{ credentials: { wordpressApi: wordpress }, ...lenient },
		),
		image,
		node(
			'Upload Image to Wordpress',
			'n8n-nodes-base.httpRequest',
			4.2,
			{
				url: `${socialUrl}/wp-json/wp/v2/media`,
				method: 'POST',
				options: {},
				sendBody: true,
				contentType: 'binaryData',
				sendHeaders: true,
				...wordpressAuth,
				headerParameters: {
					parameters: [
						{
							name: 'Content-Disposition',
							value:
								'=attachment; filename="cover-image-{{ $(\'Create Wordpress Post\').item.json.id }}.jpeg"',
						},
					],
				},
				inputDataFieldName: 'data',
			},
			{ credentials: { wordpressApi: wordpress }, ...lenient },
		),
		node(
			'Set Image on Wordpress Post',
			'n8n-nodes-base.httpRequest',
			4.2,
			{
				url: `=${socialUrl}/wp-json/wp/v2/posts/{{ $('Create Wordpress Post').item.json.id }}`,
				method: 'POST',
				options: {},
				sendQuery: true,
				...wordpressAuth,
				queryParameters: { parameters: [{ name: 'featured_media', value: '={{ $json.id }}' }] },
			},
			{ credentials: { wordpressApi: wordpress }, ...lenient },
		),
		node('Markdown', 'n8n-nodes-base.markdown', 1, {
			html: "={{ $('Get Blog Post').item.json.content }}",
			options: {},
			destinationKey: 'markdown',
		}),
		node('Merge', 'n8n-nodes-base.merge', 3, {
			mode: 'combine',
			options: {},
			combineBy: 'combineByPosition',
		}),
		node(
			'Telegram Partial Blog',
			'n8n-nodes-base.telegram',
			1.2,
			{
				chatId: '={{ $env.TELEGRAM_CHAT_ID }}',
				operation: 'sendPhoto',
				binaryData: true,
				additionalFields: { caption: '={{ $json.markdown.slice(0,400) }} ...' },
			},
			{ credentials: { telegramApi: telegram } },
		),
		node('Get Base64', 'n8n-nodes-base.extractFromFile', 1, {
			options: {},
			operation: 'binaryToPropery',
		}),
		node('Save Image to imgbb.com', 'n8n-nodes-base.httpRequest', 4.2, {
			url: `${socialUrl}/1/upload`,
			method: 'POST',
			options: { redirect: { redirect: {} } },
			sendBody: true,
			sendQuery: true,
			contentType: 'multipart-form-data',
			bodyParameters: {
				parameters: [
					{ name: 'image', value: '={{ $json.data }}' },
					{ name: 'name', value: '=' },
				],
			},
			queryParameters: {
				parameters: [
					{ name: 'expiration', value: '600' },
					{ name: 'key', value: imgbbKey },
				],
			},
		}),
	];
	return graph('template 3010', nodes, [
		['Start', 'Get Blog Post'],
		['Get Blog Post', 'Create Wordpress Post'],
		['Create Wordpress Post', image.name],
		[image.name, 'Upload Image to Wordpress'],
		[image.name, 'Merge', 0, 1],
		[image.name, 'Get Base64'],
		['Upload Image to Wordpress', 'Set Image on Wordpress Post'],
		['Set Image on Wordpress Post', 'Markdown'],
		['Markdown', 'Merge'],
		['Merge', 'Telegram Partial Blog'],
		['Get Base64', 'Save Image to imgbb.com'],
	]);
}
