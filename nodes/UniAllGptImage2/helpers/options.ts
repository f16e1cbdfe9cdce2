import {
	BACKGROUNDS,
	OPTION_LIMITS,
	OUTPUT_FORMATS,
	QUALITIES,
	type Background,
	type OutputFormat,
	type Quality,
	type RequestFormatOption,
} from './contract';
import { InputError, TRANSPARENT_JPEG } from './errors';
import { validateRequestFormat } from './requestFormat';

export interface RowOptions {
	binaryPropertyName: string;
	downloadImages: boolean;
	timeoutMs: number;
	pollIntervalMs: number;
	model?: string;
	waitForCompletion: boolean;
	requestFormat: RequestFormatOption;
	/** undefined = not added: the request carries no output fields, exactly as before. */
	outputFormat?: OutputFormat;
	/** Only with JPEG or WebP; ignored for PNG (the editor hides it there). */
	outputCompression?: number;
	/** The File Name option; undefined = the default name (see imageFileName). */
	fileName?: string;
	/** undefined = not added: no `quality` / `background` field is sent. */
	quality?: Quality;
	background?: Background;
}

export interface RunOptions {
	concurrency: number;
	maxRetries: number;
	/** undefined = no budget limit (the option was not added). */
	maxCostPerExecution?: number;
}

export const OPTION_DEFAULTS = {
	binaryPropertyName: 'data',
	downloadImages: true,
	timeoutSeconds: 300,
	pollIntervalSeconds: 3,
	concurrency: 4,
	maxRetries: 2,
	waitForCompletion: true,
	requestFormat: 'auto',
} as const;

type Raw = Record<string, unknown>;

function numberOption(
	raw: Raw,
	key: string,
	label: string,
	fallback: number,
	{ min, max }: { min: number; max: number },
	whole = false,
): number {
	const value = raw[key];
	if (value === undefined || value === null || value === '') return fallback;
	const n = typeof value === 'string' ? Number(value) : value;
	if (
		typeof n !== 'number' ||
		!Number.isFinite(n) ||
		n < min ||
		n > max ||
		(whole && !Number.isInteger(n))
	) {
		throw new InputError(
			label,
			`${label} must be ${whole ? 'a whole number' : 'a number'} from ${min} to ${max}, ` +
				`got ${String(value)}`,
		);
	}
	return n;
}

export function readRowOptions(raw: Raw = {}): RowOptions {
	const binaryPropertyName = String(
		raw.binaryPropertyName ?? OPTION_DEFAULTS.binaryPropertyName,
	).trim();
	if (!binaryPropertyName)
		throw new InputError(
			'Put Output Image in Field',
			'Put Output Image in Field must not be empty',
		);
	return {
		binaryPropertyName,
		downloadImages:
			raw.downloadImages === undefined
				? OPTION_DEFAULTS.downloadImages
				: raw.downloadImages !== false,
		timeoutMs:
			numberOption(
				raw,
				'timeout',
				'Timeout (Seconds)',
				OPTION_DEFAULTS.timeoutSeconds,
				OPTION_LIMITS.timeoutSeconds,
			) * 1000,
		pollIntervalMs:
			numberOption(
				raw,
				'pollInterval',
				'Poll Interval (Seconds)',
				OPTION_DEFAULTS.pollIntervalSeconds,
				OPTION_LIMITS.pollIntervalSeconds,
			) * 1000,
		model: typeof raw.model === 'string' ? raw.model : undefined,
		waitForCompletion:
			raw.waitForCompletion === undefined
				? OPTION_DEFAULTS.waitForCompletion
				: raw.waitForCompletion !== false,
		requestFormat: validateRequestFormat(raw.requestFormat ?? OPTION_DEFAULTS.requestFormat),
		...readOutputOptions(raw),
		fileName: readFileName(raw.fileName),
	};
}

/** A file name, not a path: some upload nodes would take a slash as a folder. */
function readFileName(value: unknown): string | undefined {
	if (value === undefined || value === null) return undefined;
	const text = String(value).trim();
	if (text === '') return undefined;
	if (/[/\\]/.test(text) || /^\.+$/.test(text)) {
		throw new InputError(
			'File Name',
			`File Name "${text}" is not a file name: leave out folders (/ and \\), ` +
				`e.g. {{ $json.sku }}-poster`,
		);
	}
	return text;
}

/** One of `values`, case-insensitive (`jpg` reads as `jpeg`); undefined when not added. */
function choiceOption<T extends string>(
	raw: Raw,
	key: string,
	label: string,
	values: readonly T[],
): T | undefined {
	const value = raw[key];
	if (value === undefined || value === null || value === '') return undefined;
	const text =
		typeof value === 'string' ? value.trim().toLowerCase().replace(/^jpg$/, 'jpeg') : value;
	if (!(values as readonly unknown[]).includes(text)) {
		throw new InputError(
			label,
			`${label} "${String(value)}" is not supported. Use one of ${values.join(', ')}`,
		);
	}
	return text as T;
}

/**
 * The output options: Output Format and Output Compression (dropped for PNG, which has none),
 * Quality and Background. Transparent with JPEG is refused here, before anything is sent.
 */
function readOutputOptions(
	raw: Raw,
): Pick<RowOptions, 'outputFormat' | 'outputCompression' | 'quality' | 'background'> {
	const quality = choiceOption(raw, 'quality', 'Quality', QUALITIES);
	const background = choiceOption(raw, 'background', 'Background', BACKGROUNDS);
	const outputFormat = choiceOption(raw, 'outputFormat', 'Output Format', OUTPUT_FORMATS);
	if (background === 'transparent' && outputFormat === 'jpeg')
		throw new InputError('Background', TRANSPARENT_JPEG);
	const others = { ...(quality && { quality }), ...(background && { background }) };
	if (!outputFormat) return others;
	if (outputFormat === 'png' || raw.outputCompression === undefined)
		return { outputFormat, ...others };
	const outputCompression = numberOption(
		raw,
		'outputCompression',
		'Output Compression',
		100,
		OPTION_LIMITS.outputCompression,
		true,
	);
	return { outputFormat, outputCompression, ...others };
}

export function readRunOptions(raw: Raw = {}): RunOptions {
	return {
		concurrency: numberOption(
			raw,
			'concurrency',
			'Concurrency',
			OPTION_DEFAULTS.concurrency,
			OPTION_LIMITS.concurrency,
			true,
		),
		maxRetries: numberOption(
			raw,
			'maxRetries',
			'Max Retries',
			OPTION_DEFAULTS.maxRetries,
			OPTION_LIMITS.maxRetries,
			true,
		),
		maxCostPerExecution:
			raw.maxCostPerExecution === undefined ||
			raw.maxCostPerExecution === null ||
			raw.maxCostPerExecution === ''
				? undefined
				: numberOption(
						raw,
						'maxCostPerExecution',
						'Max Cost per Execution (USD)',
						0,
						OPTION_LIMITS.maxCostPerExecution,
					),
	};
}
