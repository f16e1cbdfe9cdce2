import {
	DOCUMENTED_SIZES,
	documentedSizeFor,
	type AspectRatio,
	type Resolution,
} from '../../nodes/UniAllGptImage2/helpers/contract';

/**
 * The pixel size the stand-in renders for an aspect ratio and tier, in both API styles: the first
 * size UniAll's docs list for gpt-image-2-origin (DOCUMENTED_SIZES in the contract module, the
 * size the node names in the OpenAI-compatible format).
 *
 * 4K 4:5 is the one cell the docs leave empty. The UniAll style still accepts it (its article
 * offers every ratio at every tier) and renders 2K 4:5 (2048x2560) scaled by 1.5: 3072x3840, long
 * edge 3840 like the other 4K sizes. It is not a documented size, so the node reports it as
 * delivered without a tier notice. The OpenAI style never renders it: it accepts documented
 * `size` values only, and the node refuses 4:5 at 4K before sending in that format.
 */
export function imageSizeFor(
	aspectRatio: AspectRatio,
	resolution: Resolution,
): { width: number; height: number } {
	const size = documentedSizeFor(aspectRatio, resolution);
	if (size) return parseSize(size);
	const base = parseSize(DOCUMENTED_SIZES['2K'][aspectRatio][0]);
	return { width: base.width * 1.5, height: base.height * 1.5 };
}

/** `"1920x1080"` → `{ width: 1920, height: 1080 }`. */
export function parseSize(size: string): { width: number; height: number } {
	const [width, height] = size.split('x').map(Number);
	return { width, height };
}

/** Every size the docs list, any ratio or tier: what the OpenAI style accepts as `size`. */
export function isDocumentedSize(size: unknown): size is string {
	return Object.values(DOCUMENTED_SIZES).some((byRatio) =>
		Object.values(byRatio).some((sizes) => sizes.includes(size as string)),
	);
}
