import type { IDataObject } from 'n8n-workflow';

import {
	DEFAULT_MODEL,
	GENERATION_MODE,
	OUTPUT_FORMAT_MIME,
	tierOfSize,
	type Background,
	type GenerationOperation,
	type OutputFormat,
	type RequestFormat,
	type Resolution,
} from './contract';

/** What every image item of one row shares. */
export interface RowSummary {
	model: string;
	operation: GenerationOperation | 'getTask';
	/** For Get Task: the operation the task answer names, if it does. */
	generatedBy?: GenerationOperation;
	prompt?: string;
	aspectRatio?: string;
	resolution: Resolution;
	imagesRequested?: number;
	imagesDelivered: number;
	taskId?: string;
	requestCost: number;
	/** The request format UniAll accepted (unknown for Get Task). */
	requestFormat?: RequestFormat;
	/** The Output Format asked for, if the option was added. */
	outputFormat?: OutputFormat;
	/** The Background asked for, if the option was added. */
	background?: Background;
}

/** What a row knows before its images are counted and priced. */
export type RowFacts = Omit<RowSummary, 'imagesDelivered' | 'requestCost'>;

export interface ImageFacts {
	imageIndex: number;
	imageUrl?: string;
	width?: number;
	height?: number;
	mimeType?: string;
	fileSize?: number;
	fileName?: string;
	cost: number;
	/** From the bytes (imageInfo.ts); undefined when they do not tell. */
	hasAlpha?: boolean;
}

/** The fields every item of a generation row starts with, in the order items show them. */
function rowFields(row: RowFacts): IDataObject {
	return {
		model: row.model || DEFAULT_MODEL,
		operation: row.operation,
		generationMode:
			row.operation === 'getTask'
				? row.generatedBy
					? GENERATION_MODE[row.generatedBy]
					: null
				: GENERATION_MODE[row.operation],
		prompt: row.prompt ?? null,
		aspectRatio: row.aspectRatio ?? null,
		resolution: row.resolution,
	};
}

/**
 * The JSON of one output image. Fields are a public contract: downstream nodes read them. The
 * ones a user looks for come first, so n8n's Table view shows them as its first columns.
 */
export const LEADING_IMAGE_FIELDS = ['cost', 'imageUrl', 'width', 'height', 'fileName'] as const;

export function imageItemJson(row: RowSummary, image: ImageFacts): IDataObject {
	const json: IDataObject = {
		cost: image.cost,
		imageUrl: image.imageUrl ?? null,
		width: image.width ?? null,
		height: image.height ?? null,
		fileName: image.fileName ?? null,
		...rowFields(row),
		imageIndex: image.imageIndex,
		imagesRequested: row.imagesRequested ?? null,
		imagesDelivered: row.imagesDelivered,
		taskId: row.taskId ?? null,
		mimeType: image.mimeType ?? null,
		fileSize: image.fileSize ?? null,
		currency: 'USD',
		requestCost: row.requestCost,
		requestFormat: row.requestFormat ?? null,
	};
	const notices: string[] = [];
	if (row.imagesRequested !== undefined && row.imagesDelivered < row.imagesRequested) {
		json.partial = true;
		notices.push(
			`UniAll delivered ${row.imagesDelivered} of ${row.imagesRequested} requested images; ` +
				`only delivered images are billed.`,
		);
	}
	const tier = image.width && image.height ? tierOfSize(image.width, image.height) : undefined;
	if (tier && tier !== row.resolution) {
		// The cost stays the requested tier's list price; the notice lets a workflow spot the difference.
		notices.push(
			`UniAll delivered ${image.width}x${image.height}, a ${tier} size, ` +
				`for a ${row.resolution} request.`,
		);
	}
	const asked = row.outputFormat;
	if (asked && image.mimeType && image.mimeType !== OUTPUT_FORMAT_MIME[asked]) {
		// The bytes are handed on as they came (they are paid for); the next node may need another format.
		notices.push(
			`Output Format was ${asked.toUpperCase()}, but UniAll delivered ${image.mimeType}; ` +
				`the image is handed on as it is, at the same price. ` +
				`An Edit Image node can convert it.`,
		);
	}
	if (row.background === 'transparent' && image.hasAlpha === false) {
		// Some gateways answer a transparent request with an opaque image: paid for, so handed on.
		notices.push(
			`Background was Transparent, but the image UniAll delivered has no transparency ` +
				`(the background came back opaque); it is handed on as it is, at the same price.`,
		);
	}
	if (notices.length > 0) json.notice = notices.join(' ');
	return json;
}

/** What names one output image's file. */
export interface FileNaming {
	/** The execution (and the node's run, after the first): two executions never share it. */
	scope: string;
	/** n8n's item index, as `[item N]` in errors counts it (from 0). */
	itemIndex: number;
	/** The image's `imageIndex` (from 0). */
	imageIndex: number;
	/** How many images the row has: with more than one, `-<imageIndex>` keeps the names apart. */
	imageCount: number;
	/** The File Name option, if added. */
	custom?: string;
}

const IMAGE_EXTENSION = /\.(png|jpe?g|webp)$/i;
const sameType = (a: string, b: string) =>
	a.toLowerCase().replace('jpeg', 'jpg') === b.toLowerCase().replace('jpeg', 'jpg');

/**
 * The file name of an output image. By default `gpt-image-2-<execution>-item<N>-<imageIndex>`,
 * numbered as n8n's `[item N]` and the item's `imageIndex`, so uploads from two executions never
 * collide. A File Name the user set gets the image's extension when it has none (a wrong image
 * extension is corrected: the bytes decide), and `-<imageIndex>` when the row has several images.
 */
export function imageFileName(naming: FileNaming, extension: string): string {
	const { custom, scope, itemIndex, imageIndex, imageCount } = naming;
	if (!custom) return `gpt-image-2-${scope}-item${itemIndex}-${imageIndex}.${extension}`;
	const written = IMAGE_EXTENSION.exec(custom)?.[1];
	const stem = written ? custom.slice(0, -written.length - 1) : custom;
	const ext = written && sameType(written, extension) ? written : extension;
	return `${stem}${imageCount > 1 ? `-${imageIndex}` : ''}.${ext}`;
}

/** A task that is not finished yet, as Get Task reports it; a Wait node can loop on `done`. */
export function openTaskJson(
	taskId: string,
	task: { status: string; progress?: number },
	resolution: Resolution,
): IDataObject {
	return {
		operation: 'getTask',
		taskId,
		done: false,
		status: task.status,
		progress: task.progress ?? null,
		resolution,
	};
}

/**
 * The JSON of a row submitted with Wait for Completion off: the task to fetch later with Get Task
 * and its estimated cost (counted as spent: it will be billed when it finishes).
 */
export function submittedItemJson(
	row: RowFacts,
	task: { taskId: string; status: string; progress?: number },
	estimatedCost: number,
	executionCost: number,
): IDataObject {
	return {
		...rowFields(row),
		imagesRequested: row.imagesRequested ?? null,
		taskId: task.taskId,
		status: task.status,
		progress: task.progress ?? null,
		done: false,
		estimatedCost,
		currency: 'USD',
		executionCost,
		requestFormat: row.requestFormat ?? null,
	};
}

/**
 * Estimate Cost's answer for one row, with the running total of the execution including it.
 * `cost` is what the row will cost (every image), so summing `cost` over estimate items gives the
 * total, as it does over generated images; `pricePerImage` is the price of one.
 */
export function estimateJson(
	resolution: Resolution,
	numImages: number,
	pricePerImage: number,
	requestCost: number,
	runningTotal: number,
): IDataObject {
	return {
		operation: 'estimateCost',
		resolution,
		numImages,
		pricePerImage,
		cost: requestCost,
		currency: 'USD',
		requestCost,
		executionCostIncludingThis: runningTotal,
	};
}

/**
 * The input row with the estimate beside it (n8n's pass-through), so the node after an IF reads
 * the row's fields as if the estimate were not there. The estimate's fields win: an IF reading
 * `cost` must get the estimate, never a row's own `cost`. A row value they replace is kept,
 * unchanged, under `replacedRowFields`, so nothing is lost silently.
 */
export function estimateBesideRow(row: IDataObject, estimate: IDataObject): IDataObject {
	const replaced: IDataObject = {};
	for (const [field, value] of Object.entries(estimate)) {
		if (field in row && row[field] !== value) replaced[field] = row[field];
	}
	return {
		...row,
		...estimate,
		...(Object.keys(replaced).length > 0 ? { replacedRowFields: replaced } : {}),
	};
}
