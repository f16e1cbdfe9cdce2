import {
	ASPECT_RATIOS,
	DEFAULT_MODEL,
	GENERATION_MODE,
	MAX_IMAGES,
	MAX_REFERENCE_IMAGE_BYTES,
	MAX_REFERENCE_IMAGES,
	MAX_REFERENCE_TOTAL_BYTES,
	MIN_IMAGES,
	MIN_REFERENCE_IMAGES,
	RESOLUTIONS,
	type AspectRatio,
	type Background,
	type GenerationOperation,
	type OutputFormat,
	type Quality,
	type Resolution,
} from './contract';
import { InputError } from './errors';
import { sniffImage } from './imageInfo';

export interface GenerationRequestBody {
	model: string;
	generation_mode: 'text_to_image' | 'image_to_image';
	prompt: string;
	image_url?: string[];
	aspect_ratio: AspectRatio;
	resolution: Resolution;
	num_images: number;
	/** Only when Output Format is set: without it the body is exactly the one sent before. */
	output_format?: OutputFormat;
	output_compression?: number;
	/** Only when Quality / Background are added, like Output Format. */
	quality?: Quality;
	background?: Background;
}

export interface GenerationInput {
	operation: GenerationOperation;
	prompt: unknown;
	aspectRatio: unknown;
	resolution: unknown;
	numImages: unknown;
	model?: unknown;
	/** Already resolved to URLs or data: URLs (see referenceImages.ts). */
	imageUrls?: string[];
	/** Already validated (readRowOptions). */
	outputFormat?: OutputFormat;
	outputCompression?: number;
	quality?: Quality;
	background?: Background;
}

export function validatePrompt(prompt: unknown): string {
	// Never advise String(...): it turns a missing field into the prompt "undefined", which is billed.
	if (prompt === undefined || prompt === null) {
		throw new InputError(
			'Prompt',
			'Prompt: the expression found no value on this item (the field it reads is missing or ' +
				'empty). Fix the expression, e.g. {{ $json.prompt }} with the field name the input ' +
				'has, or the input item, so that every item has the prompt',
		);
	}
	if (typeof prompt !== 'string') {
		throw new InputError(
			'Prompt',
			`Prompt must be text, but the expression gave ${describe(prompt)}. Point the ` +
				`expression at the field that holds the prompt text, or build the text in it, ` +
				`e.g. {{ 'A poster of ' + $json.product }}`,
		);
	}
	if (prompt.trim() === '')
		throw new InputError('Prompt', 'Prompt is empty. Describe the image to generate');
	return prompt.trim();
}

export function validateAspectRatio(value: unknown): AspectRatio {
	const text = typeof value === 'string' ? value.trim() : value;
	if (!(ASPECT_RATIOS as readonly unknown[]).includes(text)) {
		throw new InputError(
			'Aspect Ratio',
			`Aspect Ratio "${String(value)}" is not supported. Use one of ${ASPECT_RATIOS.join(', ')}`,
		);
	}
	return text as AspectRatio;
}

export function validateResolution(value: unknown): Resolution {
	const text = typeof value === 'string' ? value.trim().toUpperCase() : value;
	if (!(RESOLUTIONS as readonly unknown[]).includes(text)) {
		throw new InputError(
			'Resolution',
			`Resolution "${String(value)}" is not supported. Use one of ${RESOLUTIONS.join(', ')}`,
		);
	}
	return text as Resolution;
}

export function validateNumImages(value: unknown): number {
	const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof n !== 'number' || !Number.isInteger(n) || n < MIN_IMAGES || n > MAX_IMAGES) {
		throw new InputError(
			'Number of Images',
			`Number of Images must be a whole number from ${MIN_IMAGES} to ${MAX_IMAGES}, ` +
				`got ${String(value)}`,
		);
	}
	return n;
}

export function validateModel(value: unknown): string {
	if (value === undefined || value === null || value === '') return DEFAULT_MODEL;
	if (typeof value !== 'string' || !/^[\w.:/-]{1,100}$/.test(value.trim())) {
		throw new InputError('Model', `Model "${String(value)}" is not a valid model id`);
	}
	return value.trim();
}

/** Checks a reference given as a URL. Returns it unchanged: URLs are sent as they are. */
export function validateReferenceUrl(value: unknown, position: number): string {
	const field = `Reference Images (image ${position})`;
	if (typeof value !== 'string' || value.trim() === '')
		throw new InputError(field, `${field}: the URL is empty`);
	if (!URL.canParse(value.trim()))
		throw new InputError(field, `${field}: "${truncate(value)}" is not a valid URL`);
	const url = new URL(value.trim());
	if (url.protocol !== 'http:' && url.protocol !== 'https:') {
		throw new InputError(field, `${field}: only http(s) URLs can be used, got "${url.protocol}"`);
	}
	return value.trim();
}

const mb = (n: number) => (n / 1024 / 1024).toFixed(1);

/**
 * Refuses one binary reference over the per-image cap. Called with n8n's recorded size before the
 * file is read (so an oversized file is never loaded), and with the real size after.
 */
export function checkReferenceSize(bytes: number, position: number, propertyName: string): void {
	if (bytes <= MAX_REFERENCE_IMAGE_BYTES) return;
	const field = `Reference Images (image ${position})`;
	throw new InputError(
		field,
		`${field}: the image in binary field "${propertyName}" is ${mb(bytes)} MB; ` +
			`the limit is ${mb(MAX_REFERENCE_IMAGE_BYTES)} MB`,
	);
}

/**
 * Adds one inline reference to the bytes this request sends inline and refuses the request once
 * the total passes MAX_REFERENCE_TOTAL_BYTES, before that reference is encoded. A binary field
 * used twice is sent twice, so it counts twice.
 */
export function addInlineReferenceBytes(
	totalSoFar: number,
	bytes: number,
	position: number,
): number {
	const total = totalSoFar + bytes;
	if (total > MAX_REFERENCE_TOTAL_BYTES) {
		const field = `Reference Images (image ${position})`;
		throw new InputError(
			field,
			`${field}: the binary reference images of this request add up to ${mb(total)} MB; ` +
				`at most ${mb(MAX_REFERENCE_TOTAL_BYTES)} MB ` +
				'can be sent inline in one request. Use image URLs for some references, or smaller files',
		);
	}
	return total;
}

/** Checks reference bytes from a binary field and turns them into the data: URL the API accepts. */
export function referenceBytesToDataUrl(
	bytes: Buffer,
	position: number,
	propertyName: string,
): string {
	const field = `Reference Images (image ${position})`;
	checkReferenceSize(bytes.length, position, propertyName);
	const info = sniffImage(bytes);
	if (!info) {
		throw new InputError(
			field,
			`${field}: the file in binary field "${propertyName}" is not a PNG, JPEG or WebP image`,
		);
	}
	// One base64 string, prefixed once: the data: URL is the only copy kept per binary field.
	return `data:${info.mimeType};base64,${bytes.toString('base64')}`;
}

export function validateReferenceCount(count: number): void {
	if (count < MIN_REFERENCE_IMAGES) {
		throw new InputError(
			'Reference Images',
			'Image to Image needs at least one reference image. Add one under Reference Images',
		);
	}
	if (count > MAX_REFERENCE_IMAGES) {
		throw new InputError(
			'Reference Images',
			`At most ${MAX_REFERENCE_IMAGES} reference images can be used, got ${count}`,
		);
	}
}

/** Validates one row and builds the body for POST /v1/images/generations. */
export function buildGenerationBody(input: GenerationInput): GenerationRequestBody {
	const body: GenerationRequestBody = {
		model: validateModel(input.model),
		generation_mode: GENERATION_MODE[input.operation],
		prompt: validatePrompt(input.prompt),
		aspect_ratio: validateAspectRatio(input.aspectRatio),
		resolution: validateResolution(input.resolution),
		num_images: validateNumImages(input.numImages),
	};
	if (input.operation === 'imageToImage') {
		const urls = input.imageUrls ?? [];
		validateReferenceCount(urls.length);
		body.image_url = urls;
	}
	if (input.outputFormat) body.output_format = input.outputFormat;
	if (input.outputFormat && input.outputCompression !== undefined)
		body.output_compression = input.outputCompression;
	if (input.quality) body.quality = input.quality;
	if (input.background) body.background = input.background;
	return body;
}

function describe(value: unknown): string {
	if (value === null) return 'null';
	if (value === undefined) return 'nothing';
	if (Array.isArray(value)) return 'a list';
	return `a ${typeof value}`;
}

function truncate(text: string, max = 80): string {
	return text.length > max ? `${text.slice(0, max)}…` : text;
}
