/** Strict checks of the generation request contract, each naming the field (`param`) like a real gateway. */
import {
	ASPECT_RATIOS,
	MAX_IMAGES,
	MAX_REFERENCE_IMAGES,
	MIN_IMAGES,
	MIN_REFERENCE_IMAGES,
	BACKGROUNDS,
	OUTPUT_FORMATS,
	QUALITIES,
	RESOLUTIONS,
	type OutputFormat,
} from '../../nodes/UniAllGptImage2/helpers/contract';
import type { GenerationRequestBody } from '../../nodes/UniAllGptImage2/helpers/request';
import type { JobRequest } from './jobs.cjs';
import { imageSizeFor } from './sizes.cjs';

/** A valid UniAll-style body: the same shape the node sends. */
export type GenerationRequest = GenerationRequestBody;

/** A valid UniAll-style body as the job it asks for (pixel size from the documented table), or its problem. */
export function uniAllJobRequest(body: unknown): JobRequest | ValidationProblem {
	const problem = validateGeneration(body);
	if (problem) return problem;
	const request = body as GenerationRequest;
	return {
		prompt: request.prompt,
		count: request.num_images,
		...imageSizeFor(request.aspect_ratio, request.resolution),
		references: request.image_url,
		format: request.output_format,
		compression: request.output_compression,
		transparent: request.background === 'transparent',
	};
}

export interface ValidationProblem {
	param: string;
	message: string;
	/** OpenAI's code for the error body: `unknown_parameter` for extra fields, else `invalid_value`. */
	code?: 'unknown_parameter' | 'missing_required_parameter';
}

const ALLOWED_FIELDS = new Set([
	'model',
	'generation_mode',
	'prompt',
	'image_url',
	'aspect_ratio',
	'resolution',
	'num_images',
	'output_format',
	'output_compression',
	'quality',
	'background',
]);

/** `undefined` when the body is a valid request; otherwise the first problem found. */
export function validateGeneration(body: unknown): ValidationProblem | undefined {
	if (typeof body !== 'object' || body === null || Array.isArray(body)) {
		return { param: 'body', message: 'The request body must be a JSON object.' };
	}
	const b = body as Record<string, unknown>;
	for (const key of Object.keys(b)) {
		if (!ALLOWED_FIELDS.has(key))
			return { param: key, message: `Unknown parameter: '${key}'.`, code: 'unknown_parameter' };
	}
	if (typeof b.model !== 'string' || !b.model.trim())
		return { param: 'model', message: 'model must be a non-empty string.' };
	if (b.generation_mode !== 'text_to_image' && b.generation_mode !== 'image_to_image') {
		return {
			param: 'generation_mode',
			message: 'generation_mode must be text_to_image or image_to_image.',
		};
	}
	if (typeof b.prompt !== 'string' || !b.prompt.trim())
		return { param: 'prompt', message: 'prompt must be a non-empty string.' };
	if (!(ASPECT_RATIOS as readonly unknown[]).includes(b.aspect_ratio)) {
		return {
			param: 'aspect_ratio',
			message: `aspect_ratio must be one of ${ASPECT_RATIOS.join(', ')}.`,
		};
	}
	if (!(RESOLUTIONS as readonly unknown[]).includes(b.resolution)) {
		return { param: 'resolution', message: `resolution must be one of ${RESOLUTIONS.join(', ')}.` };
	}
	const n = b.num_images;
	if (typeof n !== 'number' || !Number.isInteger(n) || n < MIN_IMAGES || n > MAX_IMAGES) {
		return {
			param: 'num_images',
			message: `num_images must be an integer from ${MIN_IMAGES} to ${MAX_IMAGES}.`,
		};
	}
	const output = checkOutputFields(b);
	if (output) return output;
	if (b.generation_mode === 'text_to_image') {
		return b.image_url === undefined
			? undefined
			: { param: 'image_url', message: 'image_url is not allowed for text_to_image.' };
	}
	return validateReferences(b.image_url);
}

/**
 * The output fields (both styles): `output_format`, `output_compression`, `quality`, `background`,
 * with OpenAI's values and rules (a transparent background needs png or webp).
 */
export function checkOutputFields(b: Record<string, unknown>): ValidationProblem | undefined {
	const choice = checkChoices(b);
	if (choice) return choice;
	const format = b.output_format;
	const c = b.output_compression;
	if (c === undefined) return undefined;
	if (typeof c !== 'number' || !Number.isInteger(c) || c < 0 || c > 100)
		return { param: 'output_compression', message: 'output_compression must be an integer 0-100.' };
	if ((format as OutputFormat | undefined) !== 'jpeg' && format !== 'webp') {
		return {
			param: 'output_compression',
			message: 'output_compression is only supported for the jpeg and webp output formats.',
		};
	}
	return undefined;
}

function checkChoices(b: Record<string, unknown>): ValidationProblem | undefined {
	const choices = { output_format: OUTPUT_FORMATS, quality: QUALITIES, background: BACKGROUNDS };
	for (const [param, values] of Object.entries(choices)) {
		if (b[param] !== undefined && !(values as readonly unknown[]).includes(b[param]))
			return { param, message: `${param} must be one of ${values.join(', ')}.` };
	}
	if (b.background === 'transparent' && b.output_format === 'jpeg')
		return { param: 'background', message: 'Transparent background requires png or webp.' };
	return undefined;
}

function validateReferences(refs: unknown): ValidationProblem | undefined {
	if (
		!Array.isArray(refs) ||
		refs.length < MIN_REFERENCE_IMAGES ||
		refs.length > MAX_REFERENCE_IMAGES
	) {
		return {
			param: 'image_url',
			message: `image_url must be a list of ${MIN_REFERENCE_IMAGES} to ${MAX_REFERENCE_IMAGES} images for image_to_image.`,
		};
	}
	for (const [i, ref] of refs.entries()) {
		const problem = checkReference(ref, 'image_url', i);
		if (problem) return problem;
	}
	return undefined;
}

/** One reference image (both API styles): an http(s) URL, or a data URL whose bytes are the declared type. */
export function checkReference(
	ref: unknown,
	field: string,
	index: number,
): ValidationProblem | undefined {
	const param = `${field}[${index}]`;
	if (typeof ref !== 'string') return { param, message: `Each ${field} entry must be a string.` };
	if (ref.startsWith('data:')) {
		const problem = checkDataUrl(ref);
		return problem ? { param, message: problem } : undefined;
	}
	if (!isHttpUrl(ref))
		return {
			param,
			message: `Each ${field} entry must be an http(s) URL or a data:image/(png|jpeg|webp);base64 URL.`,
		};
	return undefined;
}

function isHttpUrl(value: string): boolean {
	try {
		const url = new URL(value);
		return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
	} catch {
		return false;
	}
}

/** The declared type must match the decoded bytes: a gateway that forwards to the model would fail otherwise. */
function checkDataUrl(ref: string): string | undefined {
	// Match the header without a regex over the payload: data URLs run to megabytes.
	const comma = ref.indexOf(',');
	const header = comma > 0 ? ref.slice(5, comma) : '';
	const mime = /^(image\/(?:png|jpeg|webp));base64$/.exec(header)?.[1];
	if (!mime) return 'A data URL must be data:image/png, image/jpeg or image/webp with ;base64.';
	const bytes = Buffer.from(ref.slice(comma + 1), 'base64');
	return sniffMime(bytes) === mime ? undefined : `The data URL does not hold a ${mime} image.`;
}

function sniffMime(bytes: Buffer): string | undefined {
	if (
		bytes.length >= 8 &&
		bytes.readUInt32BE(0) === 0x89504e47 &&
		bytes.readUInt32BE(4) === 0x0d0a1a0a
	)
		return 'image/png';
	if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff)
		return 'image/jpeg';
	if (
		bytes.length >= 12 &&
		bytes.toString('ascii', 0, 4) === 'RIFF' &&
		bytes.toString('ascii', 8, 12) === 'WEBP'
	)
		return 'image/webp';
	return undefined;
}
