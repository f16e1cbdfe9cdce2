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
	task: (taskId: string) => `/v1/images/tasks/${encodeURIComponent(taskId)}`,
	models: '/v1/models',
} as const;

export const OPERATIONS = ['textToImage', 'imageToImage', 'estimateCost', 'getTask'] as const;
export type Operation = (typeof OPERATIONS)[number];
export type GenerationOperation = 'textToImage' | 'imageToImage';

export const GENERATION_MODE: Record<GenerationOperation, 'text_to_image' | 'image_to_image'> = {
	textToImage: 'text_to_image',
	imageToImage: 'image_to_image',
};

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
/** Largest result image the node will download (4K PNGs run to ~25 MB). */
export const MAX_DOWNLOAD_BYTES = 64 * 1024 * 1024;

export const REFERENCE_MIME_TYPES = ['image/png', 'image/jpeg', 'image/webp'] as const;

export const TASK_STATUS = {
	running: ['queued', 'pending', 'in_progress', 'processing', 'running', 'submitted'],
	succeeded: ['completed', 'succeeded', 'success'],
	failed: ['failed', 'error', 'cancelled', 'canceled', 'expired'],
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
