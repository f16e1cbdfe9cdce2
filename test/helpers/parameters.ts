import { OPTION_LIMITS } from '../../nodes/UniAllGptImage2/helpers/contract';
import { FASTEST_POLL_SECONDS, rowTextToImage } from '../../tools/n8n/workflow.cjs';

/**
 * THE timing of the workflow tests, in one place. Polling is the fastest a user may set (the
 * stand-in's jobs finish before the first check); tests that run a row out of time use the
 * shortest Timeout a user may set, and live in workflow/timeouts.test.ts, where they run at once.
 */
export const POLL_SECONDS = FASTEST_POLL_SECONDS;
export const SHORTEST_TIMEOUT_SECONDS = OPTION_LIMITS.timeoutSeconds.min;
/** Longer than SHORTEST_TIMEOUT_SECONDS: a stand-in delay that only the Timeout ends. */
export const PAST_THE_TIMEOUT_MS = (SHORTEST_TIMEOUT_SECONDS + 30) * 1000;

/**
 * Node parameters for a Text to Image row whose prompt comes from `$json.prompt` (the builder the
 * demo and e2e workflows use). `extra` overrides top-level parameters (resolution, numImages, …).
 */
export const textToImageParams = (
	options: Record<string, unknown> = {},
	extra: Record<string, unknown> = {},
) => rowTextToImage({ pollInterval: POLL_SECONDS, ...options }, extra);

/** A prompt for runs that may have no input item (then `$json.prompt` is empty). */
export const PROMPT_OR_FOX = '={{ $json.prompt ?? "a fox" }}';

/** The product photo from the `data` binary plus a style image by URL: the usual two references. */
export const PRODUCT_AND_STYLE: Array<Record<string, string>> = [
	{ source: 'binary', binaryPropertyName: 'data' },
	{ source: 'url', url: 'https://cdn.example.com/style.jpg' },
];

/** Image to Image, "the same product on a beach" with `image` as the references, one 1:1 1K image. */
export const imageToImageParams = (
	image: Array<Record<string, string>> = PRODUCT_AND_STYLE,
	extra: Record<string, unknown> = {},
) => ({
	operation: 'imageToImage',
	prompt: 'the same product on a beach',
	referenceImages: { image },
	aspectRatio: '1:1',
	resolution: '1K',
	numImages: 1,
	...extra,
});

/** Estimate Cost, by default priced per row from its `res` and `n` columns. */
export const estimateCostParams = (
	resolution = '={{ $json.res }}',
	numImages: string | number = '={{ $json.n }}',
) => ({ operation: 'estimateCost', resolution, numImages });

/** Items with the `res` and `n` columns estimateCostParams() reads by default. */
export const costRows = (...rows: Array<[string, number]>) =>
	rows.map(([res, n]) => ({ json: { res, n } }));
