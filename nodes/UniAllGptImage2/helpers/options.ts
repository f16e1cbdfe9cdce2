import {
	OPTION_LIMITS,
	OUTPUT_FORMATS,
	type OutputFormat,
	type RequestFormatOption,
} from './contract';
import { InputError } from './errors';
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

/** Output Format and Output Compression; compression is dropped for PNG, which has none. */
function readOutputOptions(raw: Raw): Pick<RowOptions, 'outputFormat' | 'outputCompression'> {
	const value = raw.outputFormat;
	if (value === undefined || value === null || value === '') return {};
	const text =
		typeof value === 'string' ? value.trim().toLowerCase().replace(/^jpg$/, 'jpeg') : value;
	if (!(OUTPUT_FORMATS as readonly unknown[]).includes(text)) {
		throw new InputError(
			'Output Format',
			`Output Format "${String(value)}" is not supported. Use one of ${OUTPUT_FORMATS.join(', ')}`,
		);
	}
	const outputFormat = text as OutputFormat;
	if (outputFormat === 'png' || raw.outputCompression === undefined) return { outputFormat };
	const outputCompression = numberOption(
		raw,
		'outputCompression',
		'Output Compression',
		100,
		OPTION_LIMITS.outputCompression,
		true,
	);
	return { outputFormat, outputCompression };
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
