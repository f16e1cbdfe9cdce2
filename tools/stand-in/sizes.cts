import type { AspectRatio, Resolution } from '../../nodes/UniAllGptImage2/helpers/contract';

/**
 * One pixel size per aspect ratio and tier, picked from the sizes UniAll's docs list for
 * gpt-image-2-origin. Where a cell lists two: 1K 16:9 1360x768 (not 1536x864), 2K 16:9 2560x1440
 * (not 1920x1080), 4K 1:1 2880x2880 (not 2048x2048). Every listed size is of its own tier, so a
 * client that derives the tier from the pixel size (Get Task does) gets the requested one. Cells the docs leave out keep the ratio at
 * the tier's scale; 4K has no 4:5 row, so it scales 2K's (1792x2240 x 1.6). All are multiples of 16.
 * The node never relies on these: it reads sizes from the bytes.
 */
const SIZES: Record<Resolution, Record<AspectRatio, [number, number]>> = {
	'1K': {
		'1:1': [1024, 1024],
		'16:9': [1360, 768],
		'9:16': [768, 1360],
		'4:3': [1152, 864],
		'3:4': [864, 1152],
		'3:2': [1248, 832],
		'2:3': [832, 1248],
		'4:5': [896, 1120],
	},
	'2K': {
		'1:1': [1536, 1536],
		'16:9': [2560, 1440],
		'9:16': [1440, 2560],
		'4:3': [2304, 1728],
		'3:4': [1728, 2304],
		'3:2': [2496, 1664],
		'2:3': [1664, 2496],
		'4:5': [1792, 2240],
	},
	'4K': {
		'1:1': [2880, 2880],
		'16:9': [3840, 2160],
		'9:16': [2160, 3840],
		'4:3': [3456, 2592],
		'3:4': [2592, 3456],
		'3:2': [3744, 2496],
		'2:3': [2496, 3744],
		'4:5': [2880, 3600],
	},
};

export function imageSizeFor(aspectRatio: AspectRatio, resolution: Resolution): { width: number; height: number } {
	const [width, height] = SIZES[resolution][aspectRatio];
	return { width, height };
}
