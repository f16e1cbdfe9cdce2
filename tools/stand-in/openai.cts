/**
 * The strictly OpenAI-compatible API style (`apiStyle: 'openai'`): the body UniAll's "Generate
 * Images" / "Edit Images" docs pages show for gpt-image-2-origin. `size` (a documented size) and
 * `n` instead of aspect_ratio/resolution/num_images; reference images go to /v1/images/edits as
 * the GPT-Image-2 page documents them: one as `image` (a string), several as `images` (a list). Any other field, the UniAll ones included, is refused the way an OpenAI-style
 * gateway refuses it: 400 `unknown_parameter` naming the field. A refusal creates no job.
 */
import {
	DOCUMENTED_SIZES,
	MAX_IMAGES,
	MAX_REFERENCE_IMAGES,
	MIN_IMAGES,
	MIN_REFERENCE_IMAGES,
	ROUTES,
	type OutputFormat,
} from '../../nodes/UniAllGptImage2/helpers/contract';
import { isDocumentedSize, parseSize } from './sizes.cjs';
import type { JobRequest } from './jobs.cjs';
import { checkOutputFields, checkReference, type ValidationProblem } from './validate.cjs';

const GENERATION_FIELDS = [
	'model',
	'prompt',
	'size',
	'n',
	'quality',
	'response_format',
	'output_format',
	'output_compression',
	'background',
];
const EDIT_FIELDS = [...GENERATION_FIELDS, 'image', 'images'];
const RESPONSE_FORMATS = ['url', 'b64_json'];

/** A job to create from an OpenAI-style body on `path`, or the problem that refuses it. */
export function openAiJobRequest(path: string, body: unknown): JobRequest | ValidationProblem {
	if (typeof body !== 'object' || body === null || Array.isArray(body)) {
		return { param: 'body', message: 'The request body must be a JSON object.' };
	}
	const b = body as Record<string, unknown>;
	const edits = path === ROUTES.edits;
	const allowed = edits ? EDIT_FIELDS : GENERATION_FIELDS;
	for (const key of Object.keys(b)) {
		if (!allowed.includes(key))
			return { param: key, message: `Unknown parameter: '${key}'.`, code: 'unknown_parameter' };
	}
	if (typeof b.model !== 'string' || !b.model.trim())
		return { param: 'model', message: 'model must be a non-empty string.' };
	if (typeof b.prompt !== 'string' || !b.prompt.trim())
		return { param: 'prompt', message: 'prompt must be a non-empty string.' };
	if (b.size === undefined)
		return {
			param: 'size',
			message: "Missing required parameter: 'size'.",
			code: 'missing_required_parameter',
		};
	if (!isDocumentedSize(b.size)) {
		const sizes = [
			...new Set(
				Object.values(DOCUMENTED_SIZES).flatMap((byRatio) => Object.values(byRatio).flat()),
			),
		];
		return {
			param: 'size',
			message: `Invalid size '${String(b.size)}'. Supported sizes: ${sizes.join(', ')}.`,
		};
	}
	const n = b.n ?? 1;
	if (typeof n !== 'number' || !Number.isInteger(n) || n < MIN_IMAGES || n > MAX_IMAGES) {
		return { param: 'n', message: `n must be an integer from ${MIN_IMAGES} to ${MAX_IMAGES}.` };
	}
	if (b.response_format !== undefined && !RESPONSE_FORMATS.includes(b.response_format as string)) {
		return {
			param: 'response_format',
			message: `response_format must be one of ${RESPONSE_FORMATS.join(', ')}.`,
		};
	}
	const output = checkOutputFields(b);
	if (output) return output;
	if (edits) {
		const problem = checkImages(b.image, b.images);
		if (problem) return problem;
	}
	const references =
		b.image === undefined && b.images === undefined
			? undefined
			: ([] as unknown[]).concat(b.image ?? b.images).map(String);
	return {
		prompt: b.prompt,
		count: n,
		...parseSize(b.size),
		b64: b.response_format === 'b64_json',
		references,
		format: b.output_format as OutputFormat | undefined,
		compression: b.output_compression as number | undefined,
		transparent: b.background === 'transparent',
	};
}

/** `image`: one reference, a string; `images`: a list of 1 to 6 ("multiple reference images"). */
function checkImages(image: unknown, images: unknown): ValidationProblem | undefined {
	if (image !== undefined && images !== undefined)
		return { param: 'images', message: 'Send either image or images, not both.' };
	if (image === undefined && images === undefined)
		return {
			param: 'image',
			message: "Missing required parameter: 'image' (or 'images' for several).",
			code: 'missing_required_parameter',
		};
	if (image !== undefined) {
		if (typeof image !== 'string')
			return {
				param: 'image',
				message: 'image must be one URL (a string); send several references as images.',
			};
		return checkReference(image, 'image', 0);
	}
	if (
		!Array.isArray(images) ||
		images.length < MIN_REFERENCE_IMAGES ||
		images.length > MAX_REFERENCE_IMAGES
	) {
		return {
			param: 'images',
			message: `images must be a list of ${MIN_REFERENCE_IMAGES} to ${MAX_REFERENCE_IMAGES} URLs.`,
		};
	}
	for (const [i, ref] of images.entries()) {
		const problem = checkReference(ref, 'images', i);
		if (problem) return problem;
	}
	return undefined;
}
