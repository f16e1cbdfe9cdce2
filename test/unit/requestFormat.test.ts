import {
	ASPECT_RATIOS,
	RESOLUTIONS,
	type AspectRatio,
	type Resolution,
} from '../../nodes/UniAllGptImage2/helpers/contract';
import { InputError } from '../../nodes/UniAllGptImage2/helpers/errors';
import { imageItemJson } from '../../nodes/UniAllGptImage2/helpers/output';
import { buildGenerationBody } from '../../nodes/UniAllGptImage2/helpers/request';
import { FormatMemory } from '../../nodes/UniAllGptImage2/runState/formatMemory';
import {
	buildRequest,
	classifyRefusal,
	openAiRequest,
	openAiSize,
	uniAllRequest,
	validateRequestFormat,
} from '../../nodes/UniAllGptImage2/helpers/requestFormat';

/** The size for every ratio and tier: the docs' first-listed size, written out here on purpose. */
const EXPECTED_SIZE: Record<Resolution, Record<AspectRatio, string | undefined>> = {
	'1K': {
		'1:1': '1024x1024',
		'16:9': '1360x768',
		'9:16': '768x1360',
		'4:3': '1024x768',
		'3:4': '768x1024',
		'3:2': '1536x1024',
		'2:3': '1024x1536',
		'4:5': '1024x1280',
	},
	'2K': {
		'1:1': '1536x1536',
		'16:9': '1920x1080',
		'9:16': '1080x1920',
		'4:3': '2048x1536',
		'3:4': '1536x2048',
		'3:2': '2048x1360',
		'2:3': '1360x2048',
		'4:5': '2048x2560',
	},
	'4K': {
		'1:1': '2048x2048',
		'16:9': '3840x2160',
		'9:16': '2160x3840',
		'4:3': '3264x2448',
		'3:4': '2448x3264',
		'3:2': '3504x2336',
		'2:3': '2336x3504',
		'4:5': undefined,
	},
};

const cells = RESOLUTIONS.flatMap((resolution) =>
	ASPECT_RATIOS.map((ratio) => [ratio, resolution] as [AspectRatio, Resolution]),
);

describe('size mapping (Aspect Ratio x Resolution -> size)', () => {
	it.each(cells)('%s at %s', (ratio, resolution) => {
		const expected = EXPECTED_SIZE[resolution][ratio];
		if (expected) {
			expect(openAiSize(ratio, resolution)).toBe(expected);
			return;
		}
		let error: unknown;
		try {
			openAiSize(ratio, resolution);
		} catch (e) {
			error = e;
		}
		expect(error).toBeInstanceOf(InputError);
		expect((error as InputError).field).toBe('Aspect Ratio');
		// Names the combination and the sizes that do exist, for this ratio and for this tier.
		expect((error as InputError).message).toBe(
			'Aspect Ratio 4:5 at Resolution 4K has no documented size in the OpenAI-compatible request format. ' +
				'4:5 exists at 1K (1024x1280) and 2K (2048x2560); at 4K the sizes are 1:1 2048x2048, 16:9 3840x2160, ' +
				'9:16 2160x3840, 4:3 3264x2448, 3:4 2448x3264, 3:2 3504x2336, 2:3 2336x3504',
		);
	});
});

const t2i = buildGenerationBody({
	operation: 'textToImage',
	prompt: ' a fox ',
	aspectRatio: '16:9',
	resolution: '2K',
	numImages: 2,
});
const i2iRow = {
	operation: 'imageToImage' as const,
	prompt: 'on a beach',
	aspectRatio: '1:1',
	resolution: '1K',
	numImages: 1,
	imageUrls: ['https://cdn.example.com/a.png', 'data:image/png;base64,iVBORw0KGgo='],
};
const i2i = buildGenerationBody(i2iRow);

describe('body builders', () => {
	it('uniall: the article body on /v1/images/generations, unchanged', () => {
		expect(uniAllRequest(t2i)).toEqual({
			route: '/v1/images/generations',
			body: {
				model: 'gpt-image-2-origin',
				generation_mode: 'text_to_image',
				prompt: 'a fox',
				aspect_ratio: '16:9',
				resolution: '2K',
				num_images: 2,
			},
		});
		expect(buildRequest('uniall', i2i).body).toMatchObject({
			image_url: i2i.image_url,
			generation_mode: 'image_to_image',
		});
	});

	it('openai, text to image: size and n on /v1/images/generations, URLs back', () => {
		expect(openAiRequest(t2i)).toEqual({
			route: '/v1/images/generations',
			body: {
				model: 'gpt-image-2-origin',
				prompt: 'a fox',
				size: '1920x1080',
				n: 2,
				response_format: 'url',
			},
		});
	});

	it('openai, image to image: several references as `images` (a list) on /v1/images/edits', () => {
		expect(buildRequest('openai', i2i)).toEqual({
			route: '/v1/images/edits',
			body: {
				model: 'gpt-image-2-origin',
				prompt: 'on a beach',
				images: ['https://cdn.example.com/a.png', 'data:image/png;base64,iVBORw0KGgo='],
				size: '1024x1024',
				n: 1,
				response_format: 'url',
			},
		});
	});

	it('openai, image to image: one reference as `image` (a string), as UniAll documents it', () => {
		const one = buildGenerationBody({ ...i2iRow, imageUrls: ['https://cdn.example.com/a.png'] });
		const { body } = buildRequest('openai', one);
		expect(body.image).toBe('https://cdn.example.com/a.png');
		expect(body).not.toHaveProperty('images');
	});

	it('openai refuses 4:5 at 4K before anything is built', () => {
		const body = buildGenerationBody({
			operation: 'textToImage',
			prompt: 'x',
			aspectRatio: '4:5',
			resolution: '4K',
			numImages: 1,
		});
		expect(() => openAiRequest(body)).toThrow(/4:5 at Resolution 4K has no documented size/);
		expect(uniAllRequest(body).body).toMatchObject({ aspect_ratio: '4:5', resolution: '4K' });
	});
});

describe('Request Format option', () => {
	it.each([
		[undefined, 'auto'],
		['', 'auto'],
		['auto', 'auto'],
		['uniall', 'uniall'],
		[' OpenAI ', 'openai'],
	])('reads %j as %s', (raw, format) => {
		expect(validateRequestFormat(raw)).toBe(format);
	});

	it('refuses an unknown value, naming the field', () => {
		expect(() => validateRequestFormat('xml')).toThrow(
			'Request Format "xml" is not supported. Use one of auto, uniall, openai',
		);
	});
});

const openAiError = (
	message: string,
	param: string | null,
	code: string | null,
	type = 'invalid_request_error',
) => ({
	error: { message, type, param, code },
});

describe('classifying a refused submission', () => {
	it.each([
		[
			'the OpenAI-style unknown parameter',
			400,
			openAiError("Unknown parameter: 'aspect_ratio'.", 'aspect_ratio', 'unknown_parameter'),
		],
		[
			'an unknown generation_mode, by code only',
			400,
			openAiError('Bad request.', 'generation_mode', 'unknown_parameter'),
		],
		[
			'an unsupported parameter',
			400,
			openAiError(
				"Unsupported parameter: 'num_images' is not supported with this model.",
				'num_images',
				'unsupported_parameter',
			),
		],
		[
			'the docs phrase',
			400,
			openAiError(
				'gpt-image-2 uses size to control both dimensions and aspect ratio. It does not support aspect_ratio.',
				null,
				null,
			),
		],
		[
			'a field that "is not supported"',
			422,
			{ message: 'resolution is not supported for this model' },
		],
		[
			'an unrecognized argument',
			400,
			openAiError('Unrecognized request argument supplied: image_url', null, null),
		],
		[
			'pydantic extra fields',
			422,
			{
				detail: [
					{
						type: 'extra_forbidden',
						loc: ['body', 'aspect_ratio'],
						msg: 'Extra inputs are not permitted',
					},
				],
			},
		],
		[
			'size is required',
			400,
			openAiError("Missing required parameter: 'size'.", 'size', 'missing_required_parameter'),
		],
		['size is required, in words', 400, openAiError('size is required', null, null)],
		[
			'pydantic size missing',
			422,
			{ detail: [{ loc: ['body', 'size'], msg: 'field required', type: 'value_error.missing' }] },
		],
		['a plain-text body', 400, "Unknown parameter: 'aspect_ratio'."],
	])('%s -> format (resend in the other format)', (_name, status, body) => {
		expect(classifyRefusal({ status, body })).toBe('format');
	});

	it.each([
		[
			'content_policy_violation',
			openAiError(
				'Your request was rejected by the safety system.',
				null,
				'content_policy_violation',
			),
		],
		[
			'a safety refusal that names a field',
			openAiError(
				'Unknown parameter check passed; prompt flagged by moderation (aspect_ratio ok).',
				null,
				null,
			),
		],
	])('%s -> content_policy (never resent)', (_name, body) => {
		expect(classifyRefusal({ status: 400, body })).toBe('content_policy');
	});

	it.each([
		[
			'a bad prompt',
			400,
			openAiError(
				'prompt is too long: 40000 characters, the limit is 32000.',
				'prompt',
				'invalid_value',
			),
		],
		[
			'an unsupported value in the prompt',
			400,
			openAiError("Invalid 'prompt': unsupported characters.", 'prompt', 'invalid_value'),
		],
		[
			'a bad value of our field (the format is understood)',
			400,
			openAiError("aspect_ratio '4:5' is not supported at 4K.", 'aspect_ratio', 'invalid_value'),
		],
		[
			'a bad value, must be one of',
			400,
			openAiError('resolution must be one of 1K, 2K, 4K.', 'resolution', 'invalid_value'),
		],
		[
			'an unknown field that is not ours',
			400,
			openAiError("Unknown parameter: 'foo'.", 'foo', 'unknown_parameter'),
		],
		[
			'an image size limit',
			400,
			openAiError('The image size is too large; required: under 20 MB.', 'image', 'invalid_value'),
		],
		[
			'a 401',
			401,
			openAiError("Unknown parameter: 'aspect_ratio'.", 'aspect_ratio', 'unknown_parameter'),
		],
		[
			'a 500',
			500,
			openAiError("Unknown parameter: 'aspect_ratio'.", 'aspect_ratio', 'unknown_parameter'),
		],
		['a 404', 404, openAiError('Not found.', null, 'not_found')],
	])('%s -> other (never resent)', (_name, status, body) => {
		expect(classifyRefusal({ status, body })).toBe('other');
	});

	it.each([
		[
			'an unknown size',
			400,
			openAiError("Unknown parameter: 'size'.", 'size', 'unknown_parameter'),
			'format',
		],
		[
			'an unknown n, by param only',
			400,
			openAiError("Unknown parameter: 'n'.", 'n', 'unknown_parameter'),
			'format',
		],
		[
			'aspect_ratio is required',
			400,
			openAiError('aspect_ratio is required', null, null),
			'format',
		],
		[
			'pydantic generation_mode missing',
			422,
			{ detail: [{ loc: ['body', 'generation_mode'], msg: 'field required' }] },
			'format',
		],
		[
			'a bad size value',
			400,
			openAiError("Invalid size '1234x567'.", 'size', 'invalid_value'),
			'other',
		],
		[
			'an unknown aspect_ratio (not a field we sent)',
			400,
			openAiError("Unknown parameter: 'aspect_ratio'.", 'aspect_ratio', 'unknown_parameter'),
			'other',
		],
	])('sent in the OpenAI-compatible format: %s -> %s', (_name, status, body, refusal) => {
		expect(classifyRefusal({ status, body }, 'openai')).toBe(refusal);
	});

	it('a network failure is never a format refusal', () => {
		expect(classifyRefusal({ networkCode: 'ECONNRESET' })).toBe('other');
	});
});

describe('FormatMemory', () => {
	const A = 'https://api.uniall.ai';
	const B = 'https://gateway.example.com';

	it('sends the UniAll format while nothing is known, then what was learned, per Base URL', () => {
		const memory = new FormatMemory();
		expect(memory.firstChoice(A)).toBe('uniall');
		memory.learn(A, 'openai');
		expect(memory.firstChoice(A)).toBe('openai');
		expect(memory.firstChoice(B)).toBe('uniall');
		expect(memory.recall(B)).toBeUndefined();
	});

	it('a refusal teaches the other format at once, so rows starting after it send that one', () => {
		const memory = new FormatMemory();
		expect(memory.refused(A, 'uniall')).toBe('openai');
		expect(memory.firstChoice(A)).toBe('openai');
		// A remembered format that is refused is replaced: UniAll changed its API.
		expect(memory.refused(A, 'openai')).toBe('uniall');
		expect(memory.firstChoice(A)).toBe('uniall');
	});

	it('forgets only the format the refused row taught', () => {
		const memory = new FormatMemory();
		memory.learn(A, 'openai');
		memory.forget(A, 'uniall');
		expect(memory.recall(A)).toBe('openai');
		memory.forget(A, 'openai');
		expect(memory.recall(A)).toBeUndefined();
	});

	it('keeps the most recently used Base URLs when it reaches its cap', () => {
		const memory = new FormatMemory(2);
		memory.learn('https://one.example', 'openai');
		memory.learn('https://two.example', 'openai');
		memory.learn('https://one.example', 'openai'); // used again: now the newest
		memory.learn('https://three.example', 'openai');
		expect(memory.recall('https://two.example')).toBeUndefined();
		expect(memory.recall('https://one.example')).toBe('openai');
		expect(memory.recall('https://three.example')).toBe('openai');
	});
});

describe('output of a delivered image', () => {
	const row = {
		model: 'gpt-image-2-origin',
		operation: 'textToImage' as const,
		resolution: '2K' as const,
		imagesRequested: 1,
		imagesDelivered: 1,
		requestCost: 0.05576,
	};

	it('carries the request format used', () => {
		expect(
			imageItemJson(
				{ ...row, requestFormat: 'openai' },
				{ imageIndex: 0, cost: 0.05576, width: 1920, height: 1080 },
			).requestFormat,
		).toBe('openai');
		expect(imageItemJson(row, { imageIndex: 0, cost: 0.05576 }).requestFormat).toBeNull();
	});

	it('reports the delivered size, and a notice when its tier is not the requested one; the cost stays', () => {
		const same = imageItemJson(row, { imageIndex: 0, cost: 0.05576, width: 1920, height: 1080 });
		expect(same.notice).toBeUndefined();
		const other = imageItemJson(row, { imageIndex: 0, cost: 0.05576, width: 1360, height: 768 });
		expect(other).toMatchObject({
			width: 1360,
			height: 768,
			cost: 0.05576,
			notice: 'UniAll delivered 1360x768, a 1K size, for a 2K request.',
		});
		// A size the docs do not list has no known tier: no notice.
		expect(
			imageItemJson(row, { imageIndex: 0, cost: 0.05576, width: 3072, height: 3840 }).notice,
		).toBeUndefined();
	});

	it('keeps the partial-delivery notice beside the tier notice', () => {
		const json = imageItemJson(
			{ ...row, imagesRequested: 2 },
			{ imageIndex: 0, cost: 0.05576, width: 1024, height: 1024 },
		);
		expect(json.notice).toBe(
			'UniAll delivered 1 of 2 requested images; only delivered images are billed. UniAll delivered 1024x1024, a 1K size, for a 2K request.',
		);
	});
});
