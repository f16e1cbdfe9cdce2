import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { InputError } from '../helpers/errors';
import {
	addInlineReferenceBytes,
	checkReferenceSize,
	referenceBytesToDataUrl,
	validateReferenceCount,
	validateReferenceUrl,
} from '../helpers/request';

/**
 * Resolves the Reference Images of one row to what `image_url` carries: URLs as they are, binary
 * files as data: URLs. Binary is read through n8n's helpers (never `binary.x.data`, which holds
 * only an id when n8n stores files on disk or S3), and each binary field is read once. Sizes are
 * checked against the per-image and per-request caps from n8n's recorded size before a file is
 * read, and from the real bytes before it is encoded, so an oversized request never fills memory.
 */
export async function resolveReferenceImages(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<string[]> {
	const entries = this.getNodeParameter('referenceImages.image', itemIndex, []) as IDataObject[];
	validateReferenceCount(entries.length);
	const item = this.getInputData()[itemIndex];
	const read = new Map<string, { dataUrl: string; bytes: number }>();
	const urls: string[] = [];
	let inlineBytes = 0;
	for (const [index, entry] of entries.entries()) {
		const position = index + 1;
		if (entry.source === 'binary') {
			const name = String(entry.binaryPropertyName ?? 'data').trim() || 'data';
			if (!read.has(name)) {
				if (!item?.binary?.[name]) {
					const available = Object.keys(item?.binary ?? {});
					throw new InputError(
						`Reference Images (image ${position})`,
						`Reference Images (image ${position}): the input item has no binary field "${name}"` +
							(available.length
								? ` (it has: ${available.join(', ')})`
								: ' (it has no binary data at all)'),
					);
				}
				const recorded = item.binary[name].bytes;
				if (typeof recorded === 'number') {
					checkReferenceSize(recorded, position, name);
					addInlineReferenceBytes(inlineBytes, recorded, position);
				}
				const bytes = await this.helpers.getBinaryDataBuffer(itemIndex, name);
				addInlineReferenceBytes(inlineBytes, bytes.length, position);
				read.set(name, {
					dataUrl: referenceBytesToDataUrl(bytes, position, name),
					bytes: bytes.length,
				});
			}
			const file = read.get(name) as { dataUrl: string; bytes: number };
			inlineBytes = addInlineReferenceBytes(inlineBytes, file.bytes, position);
			urls.push(file.dataUrl);
		} else {
			urls.push(validateReferenceUrl(entry.url, position));
		}
	}
	return urls;
}
