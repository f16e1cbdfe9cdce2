/**
 * The one source of truth for the UniAll GPT Image-2 contract: parameter values, routes,
 * prices and task status vocabularies. Node description, request building, pricing, the
 * local stand-in and the tests all read from here.
 */

export const DEFAULT_MODEL = 'gpt-image-2-origin';
export const DEFAULT_BASE_URL = 'https://api.uniall.ai';
export const CREDENTIAL_NAME = 'uniAllApi';

export const ROUTES = {
	generations: '/v1/images/generations',
	/** OpenAI-compatible format only: generation from reference images. */
	edits: '/v1/images/edits',
	task: (taskId: string) => `/v1/images/tasks/${encodeURIComponent(taskId)}`,
	/** Free to call: the credential test lists models to check a key. */
	models: '/v1/models',
} as const;

export const OPERATIONS = ['textToImage', 'imageToImage', 'estimateCost', 'getTask'] as const;
export type Operation = (typeof OPERATIONS)[number];
export type GenerationOperation = 'textToImage' | 'imageToImage';

export const GENERATION_MODE: Record<GenerationOperation, 'text_to_image' | 'image_to_image'> = {
	textToImage: 'text_to_image',
	imageToImage: 'image_to_image',
};

/**
 * The two bodies UniAll documents for gpt-image-2-origin: `uniall` (the seed article's
 * generation_mode/aspect_ratio/resolution/num_images) and `openai` (the docs page's size/n, with
 * references on /v1/images/edits). `auto` sends `uniall` and falls back to `openai` once.
 */
export const REQUEST_FORMATS = ['auto', 'uniall', 'openai'] as const;
export type RequestFormatOption = (typeof REQUEST_FORMATS)[number];
export type RequestFormat = Exclude<RequestFormatOption, 'auto'>;

export const ASPECT_RATIOS = ['1:1', '16:9', '9:16', '4:3', '3:4', '3:2', '2:3', '4:5'] as const;
export type AspectRatio = (typeof ASPECT_RATIOS)[number];

export const RESOLUTIONS = ['1K', '2K', '4K'] as const;
export type Resolution = (typeof RESOLUTIONS)[number];

/** USD per delivered image, from UniAll's published price list. */
export const PRICE_PER_IMAGE_USD: Record<Resolution, number> = {
	'1K': 0.01836,
	'2K': 0.05576,
	'4K': 0.11424,
};

export const MIN_IMAGES = 1;
export const MAX_IMAGES = 8;
export const MIN_REFERENCE_IMAGES = 1;
export const MAX_REFERENCE_IMAGES = 6;
/** UniAll publishes no limit; 20 MB keeps a data: URL request body reasonable. */
export const MAX_REFERENCE_IMAGE_BYTES = 20 * 1024 * 1024;
/**
 * All inline (binary) references of one request together. Each becomes a base64 data: URL in the
 * JSON body (4/3 of its size, then the body string, then its bytes), so 6 × 20 MB would hold well
 * over 0.5 GB per row in memory, several GB at concurrency 4.
 */
export const MAX_REFERENCE_TOTAL_BYTES = 50 * 1024 * 1024;
/** Largest result image the node will download (4K PNGs run to ~25 MB). */
export const MAX_DOWNLOAD_BYTES = 64 * 1024 * 1024;
/**
 * Largest API answer the node reads, counted after decompression while it arrives: room for four
 * inline 4K PNGs in base64 (~33 MB each), far below what a gzip bomb inflates to.
 */
export const MAX_API_ANSWER_BYTES = 128 * 1024 * 1024;
/** Redirects an image download follows, each hop checked like the first URL. */
export const MAX_DOWNLOAD_REDIRECTS = 5;

/**
 * Limits of the numeric options, read by the editor (minValue/maxValue), by the option
 * descriptions that state them, and by the checks the code makes on values from expressions.
 * They protect the user's budget and UniAll: no generation needs a status check more often than
 * once a second, and a 4K generation can take a minute, so a shorter Timeout would only fail
 * rows that were billed anyway.
 */
export const OPTION_LIMITS = {
	timeoutSeconds: { min: 60, max: 86_400 },
	pollIntervalSeconds: { min: 1, max: 3600 },
	concurrency: { min: 1, max: 32 },
	maxRetries: { min: 0, max: 10 },
	maxCostPerExecution: { min: 0, max: 1_000_000 },
	outputCompression: { min: 0, max: 100 },
} as const;

/**
 * Output Format: `output_format` on UniAll's GPT-Image-2 page (OpenAI-compatible body); the seed's
 * UniAll body does not show it. `output_compression` is OpenAI's field (jpeg/webp only), not on
 * UniAll's page. Both carry the same name in both request formats.
 */
export const OUTPUT_FORMATS = ['png', 'jpeg', 'webp'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];
export const OUTPUT_FORMAT_MIME: Record<OutputFormat, string> = {
	png: 'image/png',
	jpeg: 'image/jpeg',
	webp: 'image/webp',
};
/**
 * Quality: `quality` on UniAll's GPT-Image-2 page (default medium there). gpt-image-2-origin is
 * billed by size, so the price does not depend on it; high takes longer.
 */
export const QUALITIES = ['low', 'medium', 'high'] as const;
export type Quality = (typeof QUALITIES)[number];
/**
 * Background: OpenAI's `background`, not on UniAll's pages (transparency on gpt-image-2 is a
 * preview upstream, and some gateways answer with an opaque image), so delivered bytes are checked.
 */
export const BACKGROUNDS = ['auto', 'transparent', 'opaque'] as const;
export type Background = (typeof BACKGROUNDS)[number];
/**
 * The request fields of the output options, and the option each one comes from: each is sent, in
 * both request formats, only when its option is added, and a refusal naming one names the option.
 */
export const OUTPUT_FIELDS = {
	output_format: 'Output Format',
	output_compression: 'Output Compression',
	quality: 'Quality',
	background: 'Background',
} as const;
export type OutputField = keyof typeof OUTPUT_FIELDS;

/**
 * Task status words, compared case-insensitively: UniAll's pages, OpenAI-style gateways, and New
 * API gateways (`NOT_START`, `SUBMITTED`, `QUEUED`, `IN_PROGRESS`, `SUCCESS`, `FAILURE`,
 * `UNKNOWN`). A word not listed here is read as still running: never as a finished result.
 */
export const TASK_STATUS = {
	running: [
		'queued',
		'pending',
		'in_progress',
		'processing',
		'running',
		'submitted',
		'not_start',
		'unknown',
	],
	succeeded: ['completed', 'succeeded', 'success'],
	failed: ['failed', 'failure', 'error', 'cancelled', 'canceled', 'expired'],
} as const;

export type TaskState = 'running' | 'succeeded' | 'failed';

export function classifyTaskStatus(status: unknown): TaskState | undefined {
	if (typeof status !== 'string') return undefined;
	const s = status.trim().toLowerCase();
	for (const state of ['running', 'succeeded', 'failed'] as const) {
		if ((TASK_STATUS[state] as readonly string[]).includes(s)) return state;
	}
	return undefined;
}

/**
 * The pixel sizes UniAll's docs list for gpt-image-2-origin, per tier and aspect ratio, in the
 * docs' order (the first is the one the node asks for when it has to name a `size`). 4K lists
 * no 4:5 size, so that cell is empty.
 */
export const DOCUMENTED_SIZES: Record<Resolution, Record<AspectRatio, readonly string[]>> = {
	'1K': {
		'1:1': ['1024x1024'],
		'16:9': ['1360x768', '1536x864'],
		'9:16': ['768x1360', '864x1536'],
		'4:3': ['1024x768', '1344x1024'],
		'3:4': ['768x1024', '1024x1344'],
		'3:2': ['1536x1024'],
		'2:3': ['1024x1536'],
		'4:5': ['1024x1280'],
	},
	'2K': {
		'1:1': ['1536x1536'],
		'16:9': ['1920x1080', '2048x1152', '2560x1440'],
		'9:16': ['1080x1920', '1152x2048', '1440x2560'],
		'4:3': ['2048x1536'],
		'3:4': ['1536x2048'],
		'3:2': ['2048x1360', '2160x1440'],
		'2:3': ['1360x2048', '1440x2160'],
		'4:5': ['2048x2560'],
	},
	'4K': {
		'1:1': ['2048x2048', '2880x2880'],
		'16:9': ['3840x2160'],
		'9:16': ['2160x3840'],
		'4:3': ['3264x2448'],
		'3:4': ['2448x3264'],
		'3:2': ['3504x2336'],
		'2:3': ['2336x3504'],
		'4:5': [],
	},
};

/**
 * The documented tier a delivered pixel size belongs
 * to, or undefined for a size the docs do not list.
 */
export function tierOfSize(width: number, height: number): Resolution | undefined {
	const size = `${width}x${height}`;
	return RESOLUTIONS.find((tier) =>
		ASPECT_RATIOS.some((ratio) => DOCUMENTED_SIZES[tier][ratio].includes(size)),
	);
}

/**
 * The size the node names for a ratio and tier: the docs' first-listed one; undefined for 4K 4:5.
 */
export function documentedSizeFor(
	aspectRatio: AspectRatio,
	resolution: Resolution,
): string | undefined {
	return DOCUMENTED_SIZES[resolution][aspectRatio][0];
}
