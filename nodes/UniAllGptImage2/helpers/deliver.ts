import type { IBinaryData, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { downloadImage } from '../transport/download';
import { uniallApiError } from '../transport/api';
import { MAX_DOWNLOAD_BYTES } from './contract';
import { base64Bytes, sniffImage } from './imageInfo';
import type { ApiImage } from './normalise';
import { imageFileName, imageItemJson, type ImageFacts, type RowSummary } from './output';
import type { RowOptions } from './options';
import { splitCost } from './pricing';
import type { RunContext } from './runContext';
import { checkResultUrl } from './urls';

/**
 * Turns the images of one finished generation into output items: bytes go into n8n's binary
 * store (streamed, so a 4K image is never held whole in memory), facts and cost into the JSON.
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
	for (const [imageIndex, image] of images.entries()) {
		const facts: ImageFacts = { imageIndex, cost: perImage[imageIndex] };
		let binary: IBinaryData | undefined;
		if ('url' in image) {
			const refused = checkResultUrl(image.url, run.baseUrl);
			if (refused) {
				const description = 'The image was generated (and billed) but not downloaded, to protect the n8n instance.';
				throw uniallApiError(this, { reason: 'bad_response', message: refused, description }, itemIndex);
			}
			facts.imageUrl = image.url;
			if (options.downloadImages) {
				const download = await downloadImage.call(this, image.url, itemIndex, run, deadline, { taskId: row.taskId, timeoutMs: options.timeoutMs });
				const info = download.info;
				facts.fileName = imageFileName(itemIndex, imageIndex, info?.extension ?? 'png');
				binary = await this.helpers.prepareBinaryData(download.body, facts.fileName, info?.mimeType ?? 'image/png');
				Object.assign(facts, { width: info?.width, height: info?.height, mimeType: info?.mimeType, fileSize: download.bytesRead() });
			}
		} else {
			// Inline images are already here (and billed): always hand them on, within the same cap.
			if (base64Bytes(image.b64) > MAX_DOWNLOAD_BYTES) {
				const message = `UniAll returned an inline image larger than ${MAX_DOWNLOAD_BYTES / 1024 / 1024} MB; it was not stored`;
				throw uniallApiError(this, { reason: 'bad_response', message, description: 'This limit protects the n8n instance from unexpected data.' }, itemIndex);
			}
			const bytes = Buffer.from(image.b64, 'base64');
			const info = sniffImage(bytes);
			facts.fileName = imageFileName(itemIndex, imageIndex, info?.extension ?? 'png');
			const mimeType = info?.mimeType ?? image.mimeType ?? 'image/png';
			binary = await this.helpers.prepareBinaryData(bytes, facts.fileName, mimeType);
			Object.assign(facts, { width: info?.width, height: info?.height, mimeType, fileSize: bytes.length });
		}
		items.push({
			json: imageItemJson(summary, facts),
			...(binary ? { binary: { [options.binaryPropertyName]: binary } } : {}),
			pairedItem: { item: itemIndex },
		});
	}
	return items;
}
