import {
	NodeApiError,
	type IBinaryData,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { MAX_DOWNLOAD_BYTES, tierOfSize, type Resolution } from '../helpers/contract';
import {
	CancelledError,
	imageNotStored,
	inlineImageTooLarge,
	inlineNotAnImage,
	lostImage,
	lostImages,
	resultUrlRefused,
	type LostImage,
} from '../helpers/errors';
import { base64Bytes, sniffImage } from '../helpers/imageInfo';
import type { ApiImage } from '../helpers/normalise';
import type { RowOptions } from '../helpers/options';
import {
	imageFileName,
	imageItemJson,
	type ImageFacts,
	type RowFacts,
	type RowSummary,
} from '../helpers/output';
import { addUsd, pricePerImage, splitCost } from '../helpers/pricing';
import { checkResultUrl } from '../helpers/urls';
import type { RunContext } from '../runState/runContext';
import { downloadImage } from '../transport/download';
import { PartialDeliveryError, uniallApiError, withoutSecrets } from '../transport/nodeErrors';

/**
 * How a row's images are priced: the answer's own cost figure (`reportedCost`), else the row's
 * tier; with `bySize` (Get Task without a cost or tier in the answer) each image at the tier of
 * its pixel size, `bySize` for sizes the docs do not list, a lost image at its siblings' tier.
 */
export interface Pricing {
	reportedCost?: number;
	bySize?: Resolution;
}

/**
 * Turns the images of one finished generation into output items: bytes go into n8n's binary
 * store (streamed, so a 4K image is never held whole in memory), facts and cost into the JSON.
 * One image that cannot be stored does not drop the others: they are all paid for. Throws
 * PartialDeliveryError when any image was lost; the costs of delivered and lost images add up to
 * what was billed.
 */
export async function deliverImages(
	this: IExecuteFunctions,
	itemIndex: number,
	run: RunContext,
	options: RowOptions,
	row: RowFacts,
	images: ApiImage[],
	deadline: number,
	pricing: Pricing = {},
): Promise<INodeExecutionData[]> {
	type Stored = { facts: ImageFacts; binary?: IBinaryData; error?: unknown };
	const outcomes: Stored[] = [];
	for (const [imageIndex, image] of images.entries()) {
		const facts: ImageFacts = { imageIndex, cost: 0 };
		const stored: Stored = await storeImage
			.call(this, itemIndex, run, options, image, facts, deadline, row, (extension) =>
				imageFileName(
					{
						scope: run.fileNameScope,
						itemIndex,
						imageIndex,
						imageCount: images.length,
						custom: options.fileName,
					},
					extension,
				),
			)
			.then(
				(binary) => ({ facts, binary }),
				(error: unknown) => ({ facts, error: error ?? new Error('unknown') }),
			);
		// A cancelled execution stops here; any other failure costs only this image.
		if (stored.error instanceof CancelledError) throw stored.error;
		outcomes.push(stored);
	}
	const tiers = tiersOf(outcomes, row.resolution, pricing);
	const { requestCost, perImage } = costsOf(tiers, pricing.reportedCost);
	const summary: RowSummary = { ...row, imagesDelivered: images.length, requestCost };
	const items: INodeExecutionData[] = [];
	const undelivered: NodeApiError[] = [];
	for (const [i, { facts, binary, error }] of outcomes.entries()) {
		facts.cost = perImage[i];
		if (error !== undefined) {
			const image = images[i];
			const lost = {
				imageIndex: i,
				of: images.length,
				imageUrl: 'url' in image ? withoutSecrets(this, image.url) : undefined,
				cost: facts.cost,
				taskId: row.taskId,
				fetchedByGetTask: row.operation === 'getTask',
			};
			undelivered.push(lostImageError(this, error, lost, itemIndex, options.timeoutMs));
			continue;
		}
		items.push({
			json: imageItemJson({ ...summary, resolution: tiers[i] }, facts),
			...(binary ? { binary: { [options.binaryPropertyName]: binary } } : {}),
			pairedItem: { item: itemIndex },
		});
	}
	if (undelivered.length > 0) {
		throw new PartialDeliveryError(
			items,
			undelivered,
			requestCost,
			rowErrorFor(this, undelivered, images.length, itemIndex),
		);
	}
	return items;
}

/** The tier each image is priced at (see Pricing). */
function tiersOf(
	outcomes: Array<{ facts: ImageFacts; error?: unknown }>,
	rowTier: Resolution,
	pricing: Pricing,
): Resolution[] {
	const { bySize } = pricing;
	if (!bySize || pricing.reportedCost !== undefined) return outcomes.map(() => rowTier);
	const sized = outcomes.map(({ facts, error }) =>
		error === undefined ? tierOfSize(Number(facts.width), Number(facts.height)) : undefined,
	);
	// A lost image has no size: images of one task share theirs.
	const sibling = sized.find((tier) => tier !== undefined);
	return outcomes.map(
		({ error }, i) => sized[i] ?? (error !== undefined ? sibling : undefined) ?? bySize,
	);
}

/** Per-image costs that add up exactly: the answer's figure split, else each tier's price. */
function costsOf(
	tiers: Resolution[],
	reportedCost: number | undefined,
): { requestCost: number; perImage: number[] } {
	if (reportedCost !== undefined || tiers.every((tier) => tier === tiers[0]))
		return splitCost(tiers[0] ?? '1K', tiers.length, reportedCost);
	const perImage = tiers.map(pricePerImage);
	return { requestCost: addUsd(...perImage), perImage };
}

async function storeImage(
	this: IExecuteFunctions,
	itemIndex: number,
	run: RunContext,
	options: RowOptions,
	image: ApiImage,
	facts: ImageFacts,
	deadline: number,
	row: Pick<RowFacts, 'taskId' | 'operation'>,
	fileNameFor: (extension: string) => string,
): Promise<IBinaryData | undefined> {
	if ('url' in image) {
		const refused = checkResultUrl(image.url, run.baseUrl);
		if (refused) throw uniallApiError(this, resultUrlRefused(refused), itemIndex);
		facts.imageUrl = withoutSecrets(this, image.url);
		if (!options.downloadImages) return undefined;
		const download = await downloadImage.call(this, image.url, itemIndex, run, deadline, {
			taskId: row.taskId,
			timeoutMs: options.timeoutMs,
			fetchedByGetTask: row.operation === 'getTask',
		});
		const info = download.info;
		const fileName = fileNameFor(info?.extension ?? 'png');
		const binary = await this.helpers.prepareBinaryData(
			download.body,
			fileName,
			info?.mimeType ?? 'image/png',
		);
		Object.assign(facts, {
			fileName,
			width: info?.width,
			height: info?.height,
			mimeType: info?.mimeType,
			fileSize: download.bytesRead(),
			hasAlpha: info?.hasAlpha,
		});
		return binary;
	}
	// Inline images are already here (and billed): always hand them on, within the same cap.
	if (base64Bytes(image.b64) > MAX_DOWNLOAD_BYTES)
		throw uniallApiError(this, inlineImageTooLarge(MAX_DOWNLOAD_BYTES), itemIndex);
	const bytes = Buffer.from(image.b64, 'base64');
	// The same check as downloads: only PNG, JPEG and WebP by their bytes, whatever the answer says.
	const info = sniffImage(bytes);
	if (!info) throw uniallApiError(this, inlineNotAnImage(image.mimeType, bytes), itemIndex);
	const fileName = fileNameFor(info.extension);
	const mimeType = info.mimeType;
	const binary = await this.helpers.prepareBinaryData(bytes, fileName, mimeType);
	Object.assign(facts, {
		fileName,
		width: info?.width,
		height: info?.height,
		mimeType,
		fileSize: bytes.length,
		hasAlpha: info.hasAlpha,
	});
	return binary;
}

/** One lost image as an n8n error: what went wrong, where the image is, and that it was billed. */
function lostImageError(
	ctx: IExecuteFunctions,
	error: unknown,
	lost: LostImage,
	itemIndex: number,
	timeoutMs: number,
): NodeApiError {
	const cause =
		error instanceof NodeApiError
			? error
			: uniallApiError(ctx, imageNotStored(error, timeoutMs), itemIndex);
	const linkExpired = cause.context.reason === 'link_expired';
	Object.assign(cause, lostImage({ ...lost, linkExpired }, cause));
	Object.assign(cause.context, {
		imageUrl: lost.imageUrl,
		imageIndex: lost.imageIndex,
		cost: lost.cost,
		billed: true,
		// Get Task bills nothing: its lost image was billed when generated, not in this run.
		...(lost.fetchedByGetTask ? { fetchedByGetTask: true } : {}),
		taskId: lost.taskId,
	});
	return cause;
}

/** The row's error when the node fails as a whole: every lost image, each with its URL and cost. */
function rowErrorFor(
	ctx: IExecuteFunctions,
	undelivered: NodeApiError[],
	total: number,
	itemIndex: number,
): NodeApiError {
	if (undelivered.length === 1) return undelivered[0];
	return uniallApiError(
		ctx,
		lostImages(
			undelivered.map((e) => ({
				message: e.message,
				description: e.description,
				reason: e.context.reason,
			})),
			total,
		),
		itemIndex,
	);
}
