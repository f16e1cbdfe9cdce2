import type { IDataObject } from 'n8n-workflow';

import { DEFAULT_MODEL, GENERATION_MODE, tierOfSize, type GenerationOperation, type RequestFormat, type Resolution } from './contract';

/** What every image item of one row shares. */
export interface RowSummary {
	model: string;
	operation: GenerationOperation | 'getTask';
	prompt?: string;
	aspectRatio?: string;
	resolution: Resolution;
	imagesRequested?: number;
	imagesDelivered: number;
	taskId?: string;
	requestCost: number;
	/** The request format UniAll accepted (unknown for Get Task). */
	requestFormat?: RequestFormat;
}

export interface ImageFacts {
	imageIndex: number;
	imageUrl?: string;
	width?: number;
	height?: number;
	mimeType?: string;
	fileSize?: number;
	fileName?: string;
	cost: number;
}

/** The JSON of one output image. Fields are a public contract: downstream nodes read them. */
export function imageItemJson(row: RowSummary, image: ImageFacts): IDataObject {
	const json: IDataObject = {
		model: row.model || DEFAULT_MODEL,
		operation: row.operation,
		generationMode: row.operation === 'getTask' ? null : GENERATION_MODE[row.operation],
		prompt: row.prompt ?? null,
		aspectRatio: row.aspectRatio ?? null,
		resolution: row.resolution,
		imageIndex: image.imageIndex,
		imagesRequested: row.imagesRequested ?? null,
		imagesDelivered: row.imagesDelivered,
		imageUrl: image.imageUrl ?? null,
		taskId: row.taskId ?? null,
		width: image.width ?? null,
		height: image.height ?? null,
		mimeType: image.mimeType ?? null,
		fileSize: image.fileSize ?? null,
		fileName: image.fileName ?? null,
		cost: image.cost,
		currency: 'USD',
		requestCost: row.requestCost,
		requestFormat: row.requestFormat ?? null,
	};
	const notices: string[] = [];
	if (row.imagesRequested !== undefined && row.imagesDelivered < row.imagesRequested) {
		json.partial = true;
		notices.push(
			`UniAll delivered ${row.imagesDelivered} of ${row.imagesRequested} requested images; only delivered images are billed.`,
		);
	}
	const tier = image.width && image.height ? tierOfSize(image.width, image.height) : undefined;
	if (tier && tier !== row.resolution) {
		// The cost stays the requested tier's list price; the notice lets a workflow spot the difference.
		notices.push(`UniAll delivered ${image.width}x${image.height}, a ${tier} size, for a ${row.resolution} request.`);
	}
	if (notices.length > 0) json.notice = notices.join(' ');
	return json;
}

/** File name for an output image: row and image number make names unique within a run. */
export function imageFileName(itemIndex: number, imageIndex: number, extension: string): string {
	return `gpt-image-2-row${itemIndex + 1}-${imageIndex + 1}.${extension}`;
}
