import { NodeApiError, type IBinaryData, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { downloadImage } from '../transport/download';
import { DeadlineError, uniallApiError } from '../transport/api';
import { MAX_DOWNLOAD_BYTES } from './contract';
import { base64Bytes, sniffImage } from './imageInfo';
import type { ApiImage } from './normalise';
import { imageFileName, imageItemJson, type ImageFacts, type RowSummary } from './output';
import type { RowOptions } from './options';
import { CancelledError } from './pause';
import { splitCost } from './pricing';
import type { RunContext } from './runContext';
import { checkResultUrl } from './urls';

/**
 * A row whose images were generated (and so billed) but not all handed on: `delivered` are the
 * items that arrived, `undelivered` one error per lost image (its URL, reason and cost in
 * `context`), `rowError` the whole story for when the node fails as a whole.
 */
export class PartialDeliveryError extends Error {
	constructor(
		readonly delivered: INodeExecutionData[],
		readonly undelivered: NodeApiError[],
		readonly billedUsd: number,
		readonly rowError: NodeApiError,
	) {
		super(rowError.message);
		this.name = 'PartialDeliveryError';
	}
}

/**
 * Turns the images of one finished generation into output items: bytes go into n8n's binary
 * store (streamed, so a 4K image is never held whole in memory), facts and cost into the JSON.
 * One image that cannot be stored does not drop the others: they are all paid for. Throws
 * PartialDeliveryError when any image was lost.
 */
export async function deliverImages(
	this: IExecuteFunctions,
	itemIndex: number,
	run: RunContext,
	options: RowOptions,
	row: Omit<RowSummary, 'imagesDelivered' | 'requestCost'>,
	images: ApiImage[],
	deadline: number,
	reportedCost?: number,
): Promise<INodeExecutionData[]> {
	const { requestCost, perImage } = splitCost(row.resolution, images.length, reportedCost);
	const summary: RowSummary = { ...row, imagesDelivered: images.length, requestCost };
	const items: INodeExecutionData[] = [];
	const undelivered: NodeApiError[] = [];
	for (const [imageIndex, image] of images.entries()) {
		const facts: ImageFacts = { imageIndex, cost: perImage[imageIndex] };
		const stored = await storeImage.call(this, itemIndex, run, options, image, facts, deadline, row.taskId).then(
			(binary) => ({ binary }),
			(error: unknown) => ({ error }),
		);
		if ('error' in stored) {
			// A cancelled execution stops here; any other failure costs only this image.
			if (stored.error instanceof CancelledError) throw stored.error;
			const lost = { imageIndex, of: images.length, imageUrl: 'url' in image ? image.url : undefined, cost: facts.cost, taskId: row.taskId };
			undelivered.push(lostImageError(this, stored.error, lost, itemIndex, options.timeoutMs));
			continue;
		}
		items.push({
			json: imageItemJson(summary, facts),
			...(stored.binary ? { binary: { [options.binaryPropertyName]: stored.binary } } : {}),
			pairedItem: { item: itemIndex },
		});
	}
	if (undelivered.length > 0) {
		throw new PartialDeliveryError(items, undelivered, requestCost, rowErrorFor(this, undelivered, images.length, itemIndex));
	}
	return items;
}

async function storeImage(
	this: IExecuteFunctions,
	itemIndex: number,
	run: RunContext,
	options: RowOptions,
	image: ApiImage,
	facts: ImageFacts,
	deadline: number,
	taskId: string | undefined,
): Promise<IBinaryData | undefined> {
	if ('url' in image) {
		const refused = checkResultUrl(image.url, run.baseUrl);
		if (refused) {
			const description = 'The image was not downloaded, to protect the n8n instance.';
			throw uniallApiError(this, { reason: 'bad_response', message: refused, description }, itemIndex);
		}
		facts.imageUrl = image.url;
		if (!options.downloadImages) return undefined;
		const download = await downloadImage.call(this, image.url, itemIndex, run, deadline, { taskId, timeoutMs: options.timeoutMs });
		const info = download.info;
		const fileName = imageFileName(itemIndex, facts.imageIndex, info?.extension ?? 'png');
		const binary = await this.helpers.prepareBinaryData(download.body, fileName, info?.mimeType ?? 'image/png');
		Object.assign(facts, { fileName, width: info?.width, height: info?.height, mimeType: info?.mimeType, fileSize: download.bytesRead() });
		return binary;
	}
	// Inline images are already here (and billed): always hand them on, within the same cap.
	if (base64Bytes(image.b64) > MAX_DOWNLOAD_BYTES) {
		const message = `UniAll returned an inline image larger than ${MAX_DOWNLOAD_BYTES / 1024 / 1024} MB; it was not stored`;
		throw uniallApiError(this, { reason: 'bad_response', message, description: 'This limit protects the n8n instance from unexpected data.' }, itemIndex);
	}
	const bytes = Buffer.from(image.b64, 'base64');
	const info = sniffImage(bytes);
	const fileName = imageFileName(itemIndex, facts.imageIndex, info?.extension ?? 'png');
	const mimeType = info?.mimeType ?? image.mimeType ?? 'image/png';
	const binary = await this.helpers.prepareBinaryData(bytes, fileName, mimeType);
	Object.assign(facts, { fileName, width: info?.width, height: info?.height, mimeType, fileSize: bytes.length });
	return binary;
}

interface LostImage {
	imageIndex: number;
	of: number;
	imageUrl?: string;
	cost: number;
	taskId?: string;
}

/** One lost image as an n8n error: what went wrong, where the image is, and that it was billed. */
function lostImageError(ctx: IExecuteFunctions, error: unknown, lost: LostImage, itemIndex: number, timeoutMs: number): NodeApiError {
	const cause =
		error instanceof NodeApiError
			? error
			: uniallApiError(
					ctx,
					error instanceof DeadlineError
						? { reason: 'timeout', message: `The image was not downloaded within the Timeout of ${timeoutMs / 1000} s`, description: 'Raise the Timeout option.' }
						: { reason: 'bad_response', message: `The image could not be stored: ${error instanceof Error ? error.message : String(error)}`, description: '' },
					itemIndex,
				);
	const which = lost.of > 1 ? `Image ${lost.imageIndex + 1} of ${lost.of} was not handed on: ` : '';
	cause.message = `${which}${cause.message}`;
	const where = lost.imageUrl
		? `It is at ${lost.imageUrl} (UniAll's URLs may expire after about a day)`
		: 'It came inline, without a URL';
	const fetchAgain = lost.taskId ? `, or fetch it again with the Get Task operation and Task ID "${lost.taskId}"` : '';
	cause.description =
		`The image was generated and billed ($${lost.cost}) but not handed on. ${where}${fetchAgain}.` +
		(cause.description ? ` ${cause.description}` : '');
	Object.assign(cause.context, { imageUrl: lost.imageUrl, imageIndex: lost.imageIndex, cost: lost.cost, billed: true, taskId: lost.taskId });
	return cause;
}

/** The row's error when the node fails as a whole: every lost image, each with its URL and cost. */
function rowErrorFor(ctx: IExecuteFunctions, undelivered: NodeApiError[], total: number, itemIndex: number): NodeApiError {
	if (undelivered.length === 1) return undelivered[0];
	const [first] = undelivered;
	return uniallApiError(
		ctx,
		{
			reason: (first.context.reason as 'bad_response') ?? 'bad_response',
			message: `${undelivered.length} of ${total} images were generated (and billed) but not handed on. ${first.message}`,
			description: undelivered.map((e) => `${e.message}: ${e.description ?? ''}`).join('\n'),
		},
		itemIndex,
	);
}
