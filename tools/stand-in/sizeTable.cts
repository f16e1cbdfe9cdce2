/**
 * Prints the stand-in's image sizes per tier and format as the Markdown table of README.md:
 * `node --require tsx/cjs tools/stand-in/sizeTable.cts`. One image per cell (the prompt and row
 * change colours and digits, which moves sizes by a few per cent).
 */
import type { OutputFormat } from '../../nodes/UniAllGptImage2/helpers/contract';
import { ImageStore } from './images.cjs';
import { imageSizeFor } from './sizes.cjs';

const COLUMNS: Array<[string, OutputFormat, number]> = [
	['PNG', 'png', 100],
	['JPEG (compression not set = 100)', 'jpeg', 100],
	['JPEG, compression 85', 'jpeg', 85],
	['WebP, compression 85', 'webp', 85],
];
const CELLS = [
	['1K', '1:1'],
	['1K', '16:9'],
	['2K', '1:1'],
	['2K', '16:9'],
	['4K', '1:1'],
	['4K', '16:9'],
] as const;

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(2)} MB`;

async function main(): Promise<void> {
	const store = new ImageStore();
	console.log(`| tier, ratio (pixels) | ${COLUMNS.map(([name]) => name).join(' | ')} |`);
	console.log(`|---|${COLUMNS.map(() => '---:').join('|')}|`);
	for (const [tier, ratio] of CELLS) {
		const { width, height } = imageSizeFor(ratio, tier);
		const sizes: string[] = [];
		for (const [i, [, format, quality]] of COLUMNS.entries()) {
			const id = `${tier}-${ratio}-${i}`;
			store.add(id, { width, height, seed: 12345, label: '1', large: false, format, quality });
			sizes.push(mb(((await store.render(id)) as Buffer).length));
		}
		console.log(`| ${tier} ${ratio} (${width}x${height}) | ${sizes.join(' | ')} |`);
	}
}

void main();
