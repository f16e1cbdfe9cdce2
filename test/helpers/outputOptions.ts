import type { INodeProperties } from 'n8n-workflow';

import { UniAllGptImage2 } from '../../nodes/UniAllGptImage2/UniAllGptImage2.node';
import { readRowOptions } from '../../nodes/UniAllGptImage2/helpers/options';
import type { ImageFacts, RowSummary } from '../../nodes/UniAllGptImage2/helpers/output';
import {
	buildGenerationBody,
	type GenerationInput,
} from '../../nodes/UniAllGptImage2/helpers/request';

/** Shared by the tests of the output options (Output Format and Compression, Quality, Background). */

/**
 * The body of one Text to Image row as the node builds it from the Options collection `options`
 * (read and validated by readRowOptions, every output option passed on); `input` overrides the
 * row's prompt, ratio, tier or count.
 */
export function bodyFromOptions(
	options: Record<string, unknown>,
	input: Partial<GenerationInput> = {},
) {
	const { outputFormat, outputCompression, quality, background } = readRowOptions(options);
	return buildGenerationBody({
		operation: 'textToImage',
		prompt: 'a fox',
		aspectRatio: '16:9',
		resolution: '4K',
		numImages: 1,
		outputFormat,
		outputCompression,
		quality,
		background,
		...input,
	});
}

/** A 1K row that asked for and got one image, for the notices of imageItemJson(). */
export const oneImageRow = (extra: Partial<RowSummary> = {}): RowSummary => ({
	model: 'gpt-image-2-origin',
	operation: 'textToImage',
	resolution: '1K',
	imagesRequested: 1,
	imagesDelivered: 1,
	requestCost: 0.01836,
	...extra,
});

/** Its image: a 1024x1024 PNG at the 1K price, unless `extra` says otherwise. */
export const oneImage = (extra: Partial<ImageFacts> = {}): ImageFacts => ({
	imageIndex: 0,
	width: 1024,
	height: 1024,
	mimeType: 'image/png',
	cost: 0.01836,
	...extra,
});

/** The Options collection of Text to Image, as the node's description gives it. */
export function textToImageOptions(): INodeProperties[] {
	const { description } = new UniAllGptImage2();
	return (description.properties.find(
		(p) => p.name === 'options' && p.displayOptions?.show?.operation?.includes('textToImage'),
	)?.options ?? []) as INodeProperties[];
}
