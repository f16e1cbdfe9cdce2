import { rowTextToImage } from '../../tools/n8n/workflow.cjs';

/**
 * Node parameters for a Text to Image row whose prompt comes from `$json.prompt` (the builder the
 * demo and e2e workflows use); polls fast for tests. `extra` overrides top-level parameters
 * (resolution, numImages, …).
 */
export const textToImageParams = (
	options: Record<string, unknown> = {},
	extra: Record<string, unknown> = {},
) => rowTextToImage({ pollInterval: 0.05, ...options }, extra);

/**
 * The shortest row Timeout (seconds) the tests that wait for one use: the option's minimum may
 * change, so the tests take it from here.
 */
export const SHORT_TIMEOUT_S = 1;

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
