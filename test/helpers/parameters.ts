/**
 * Node parameters for a Text to Image row whose prompt comes from `$json.prompt`; polls fast for
 * tests. `extra` overrides top-level parameters (resolution, numImages, …).
 */
export const textToImageParams = (options: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
	operation: 'textToImage',
	prompt: '={{ $json.prompt }}',
	aspectRatio: '1:1',
	resolution: '1K',
	numImages: 1,
	options: { pollInterval: 0.05, ...options },
	...extra,
});
