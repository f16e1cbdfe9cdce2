import type { IDataObject } from 'n8n-workflow';

import {
	ASPECT_RATIOS,
	DOCUMENTED_SIZES,
	REQUEST_FORMATS,
	RESOLUTIONS,
	ROUTES,
	documentedSizeFor,
	OUTPUT_FIELDS,
	type AspectRatio,
	type OutputField,
	type RequestFormat,
	type RequestFormatOption,
	type Resolution,
} from './contract';
import { apiErrorDetails, InputError, mapApiFailure, type ApiFailure } from './errors';
import type { GenerationRequestBody } from './request';

/**
 * The two request bodies UniAll documents for gpt-image-2-origin, built from one validated row,
 * and how to read a refusal: did UniAll refuse our format, or the request itself? Pure.
 */

export interface SubmitRequest {
	route: string;
	body: IDataObject;
}

export function validateRequestFormat(value: unknown): RequestFormatOption {
	if (value === undefined || value === null || value === '') return 'auto';
	const text = typeof value === 'string' ? value.trim().toLowerCase() : value;
	if (!(REQUEST_FORMATS as readonly unknown[]).includes(text)) {
		throw new InputError(
			'Request Format',
			`Request Format "${String(value)}" is not supported. Use one of ${REQUEST_FORMATS.join(', ')}`,
		);
	}
	return text as RequestFormatOption;
}

/**
 * The documented `size` for a ratio and tier; 4:5 at 4K has none, so it is refused before any call.
 */
export function openAiSize(aspectRatio: AspectRatio, resolution: Resolution): string {
	const size = documentedSizeFor(aspectRatio, resolution);
	if (size) return size;
	const sameRatio = RESOLUTIONS.filter(
		(tier) => DOCUMENTED_SIZES[tier][aspectRatio].length > 0,
	).map((tier) => `${tier} (${DOCUMENTED_SIZES[tier][aspectRatio][0]})`);
	const sameTier = ASPECT_RATIOS.filter(
		(ratio) => DOCUMENTED_SIZES[resolution][ratio].length > 0,
	).map((ratio) => `${ratio} ${DOCUMENTED_SIZES[resolution][ratio][0]}`);
	throw new InputError(
		'Aspect Ratio',
		`Aspect Ratio ${aspectRatio} at Resolution ${resolution} has no documented size in the ` +
			`OpenAI-compatible request format. ` +
			`${aspectRatio} exists at ${sameRatio.join(' and ')}; ` +
			`at ${resolution} the sizes are ${sameTier.join(', ')}`,
	);
}

/** The seed article's body, sent as it is today. */
export function uniAllRequest(body: GenerationRequestBody): SubmitRequest {
	return { route: ROUTES.generations, body: { ...body } };
}

/**
 * The docs page's OpenAI-compatible body: `size` and `n`; reference images go to the edits route,
 * as UniAll's GPT-Image-2 page names them: one as `image` (a string), several as `images`.
 */
export function openAiRequest(body: GenerationRequestBody): SubmitRequest {
	const size = openAiSize(body.aspect_ratio, body.resolution);
	const tail = { size, n: body.num_images, response_format: 'url', ...outputFields(body) };
	if (body.generation_mode === 'image_to_image') {
		const references = body.image_url ?? [];
		const image = references.length === 1 ? { image: references[0] } : { images: references };
		return {
			route: ROUTES.edits,
			body: { model: body.model, prompt: body.prompt, ...image, ...tail },
		};
	}
	return { route: ROUTES.generations, body: { model: body.model, prompt: body.prompt, ...tail } };
}

/** The output fields of a body, only those set: a body without them stays today's body. */
function outputFields(body: GenerationRequestBody): IDataObject {
	const fields: IDataObject = {};
	for (const field of Object.keys(OUTPUT_FIELDS) as OutputField[])
		if (body[field] !== undefined) fields[field] = body[field];
	return fields;
}

export function buildRequest(format: RequestFormat, body: GenerationRequestBody): SubmitRequest {
	return format === 'openai' ? openAiRequest(body) : uniAllRequest(body);
}

/**
 * What a refused submission means for the format choice:
 * - `format`: UniAll does not know a field only the format we sent has, or wants a field only the
 *   other format has (`size`): the other format may work. A validation refusal created no job, so
 *   resending cannot bill twice.
 * - `content_policy`: the prompt or images were refused; never resent.
 * - `other`: anything else (a bad prompt, a bad value, a server error); never resent.
 */
export type Refusal = 'format' | 'content_policy' | 'other';

/** Fields only one format sends. */
const ONLY_IN: Record<RequestFormat, string[]> = {
	uniall: ['generation_mode', 'aspect_ratio', 'resolution', 'num_images', 'image_url'],
	openai: ['size', 'n', 'response_format', 'image', 'images'],
};
/** Fields the other format requires: an API asking for them does not speak the format we sent. */
const REQUIRED_BY_OTHER: Record<RequestFormat, string[]> = {
	uniall: ['size'],
	openai: ['generation_mode', 'aspect_ratio', 'resolution'],
};
/** Codes gateways use for a field they do not know (OpenAI, New API, pydantic). */
const FORMAT_CODES = [
	'unknown_parameter',
	'unsupported_parameter',
	'unrecognized_parameter',
	'unrecognized_request_argument',
	'extra_forbidden',
];

// One-letter names (`n`) are matched only through `param`: as a word they appear everywhere.
const quotedField = (fields: string[]) =>
	`['"\`]?\\b(${fields.filter((f) => f.length > 1).join('|')})\\b['"\`]?`;

/**
 * Phrases that refuse a field, not its value: "aspect_ratio '4:5' is not supported" is a bad
 * value (the format is understood) and must not switch formats.
 */
function fieldRefused(fields: string[]): RegExp[] {
	const field = quotedField(fields);
	return [
		/(unknown|unrecogni[sz]ed|unsupported|unexpected)\s+(request\s+)?(parameter|field|argument|property|key|keyword)/i,
		/extra\s+(fields?|inputs?|keys?|arguments?)\s+(are\s+)?not\s+(permitted|allowed)|additional\s+propert/i,
		new RegExp(`does\\s+not\\s+(support|accept|allow)\\s+(the\\s+)?${field}`, 'i'),
		new RegExp(
			`${field}\\s+(is|are)\\s+` +
				`(not\\s+(supported|allowed|permitted|recogni[sz]ed)|unknown|unsupported)`,
			'i',
		),
	];
}

function fieldRequired(fields: string[]): RegExp[] {
	const field = quotedField(fields);
	return [
		new RegExp(`${field}\\s+(is|field is|parameter is)\\s+(a\\s+)?required`, 'i'),
		new RegExp(
			`(missing|required)\\s+(required\\s+)?(parameter|field|argument|property)s?\\s*:?\\s*${field}`,
			'i',
		),
		new RegExp(
			`"loc"\\s*:\\s*\\[[^\\]]*"(${fields.join('|')})"\\][^}]*(field required|missing)`,
			'i',
		),
	];
}

const PATTERNS = Object.fromEntries(
	(['uniall', 'openai'] as RequestFormat[]).map((sent) => [
		sent,
		{
			names: new RegExp(quotedField(ONLY_IN[sent]), 'i'),
			refused: fieldRefused(ONLY_IN[sent]),
			required: fieldRequired(REQUIRED_BY_OTHER[sent]),
		},
	]),
) as Record<RequestFormat, { names: RegExp; refused: RegExp[]; required: RegExp[] }>;

/** Reads a refusal of a submission sent in format `sent` (the UniAll one, unless said). */
export function classifyRefusal(failure: ApiFailure, sent: RequestFormat = 'uniall'): Refusal {
	const mapped = mapApiFailure(failure);
	if (mapped.reason === 'content_policy') return 'content_policy';
	if (mapped.reason !== 'invalid_request') return 'other';
	const details = apiErrorDetails(failure.body);
	const raw = (
		typeof failure.body === 'string' ? failure.body : JSON.stringify(failure.body ?? '')
	).slice(0, 4000);
	const text = `${details.message ?? ''} ${raw}`;
	const param = details.param?.replace(/\[\d+\]$/, '') ?? '';
	const patterns = PATTERNS[sent];
	const namesField = ONLY_IN[sent].includes(param) || patterns.names.test(text);
	const unknownField =
		namesField &&
		(FORMAT_CODES.includes(details.code ?? '') || patterns.refused.some((re) => re.test(text)));
	const otherRequired =
		(REQUIRED_BY_OTHER[sent].includes(param) && /required|missing/i.test(text)) ||
		patterns.required.some((re) => re.test(text));
	return unknownField || otherRequired ? 'format' : 'other';
}

/**
 * The output field (OUTPUT_FIELDS) a refusal names, if UniAll refused the field or its value: the
 * request format may be fine, so the error names the option instead. With `sent`, only the fields
 * that body carries count: "quality" or "background" in the words of another refusal do not.
 */
export function refusedOutputField(
	failure: ApiFailure,
	sent?: GenerationRequestBody,
): OutputField | undefined {
	if (mapApiFailure(failure).reason !== 'invalid_request') return undefined;
	const details = apiErrorDetails(failure.body);
	const fields = (Object.keys(OUTPUT_FIELDS) as OutputField[]).filter(
		(field) => !sent || sent[field] !== undefined,
	);
	const param = fields.find((field) => field === details.param);
	if (param) return param;
	const raw = typeof failure.body === 'string' ? failure.body : JSON.stringify(failure.body ?? '');
	const text = `${details.message ?? ''} ${raw.slice(0, 4000)}`;
	return fields.find((field) => new RegExp(`\\b${field}\\b`, 'i').test(text));
}
