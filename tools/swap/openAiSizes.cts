/**
 * OpenAI's image sizes → this node's Aspect Ratio × Resolution, derived from the node's own size
 * table (`DOCUMENTED_SIZES` in helpers/contract.ts), never written by hand. The README's table of
 * "Switching from n8n's OpenAI node or an HTTP Request" is printed by
 * `node --require tsx/cjs tools/swap/openAiSizes.cts`, and the template-swap e2e tests set the
 * node from `uniallSettingsFor()`.
 *
 * The rule: the aspect ratio nearest to the OpenAI size's (compared as log ratios, so 2:1 and 1:2
 * are equally far from 1:1), then the smallest tier whose size for that ratio is at least as wide
 * and as tall, so that nothing downstream gets fewer pixels than before.
 */
import {
	ASPECT_RATIOS,
	RESOLUTIONS,
	documentedSizeFor,
	type AspectRatio,
	type Resolution,
} from '../../nodes/UniAllGptImage2/helpers/contract';

/**
 * The sizes n8n's OpenAI node offers (its Resolution option for DALL·E 2, DALL·E 3 and GPT Image,
 * read in @n8n/n8n-nodes-langchain's vendors/OpenAi image descriptions) and the ones templates
 * send to /v1/images/generations through HTTP Request; 1024x1024 is the default of all of them.
 */
export const OPENAI_SIZES = [
	'256x256',
	'512x512',
	'1024x1024',
	'1792x1024',
	'1024x1792',
	'1536x1024',
	'1024x1536',
] as const;

export interface UniAllSize {
	aspectRatio: AspectRatio;
	resolution: Resolution;
	/** The pixel size the node asks for with these settings. */
	size: string;
}

const pixels = (size: string): [number, number] => {
	const [width, height] = size.split('x').map(Number);
	if (!(width > 0 && height > 0)) throw new Error(`not a WIDTHxHEIGHT size: ${size}`);
	return [width, height];
};

const ratioOf = (ratio: AspectRatio) => {
	const [w, h] = ratio.split(':').map(Number);
	return w / h;
};

export function uniallSettingsFor(openAiSize: string): UniAllSize {
	const [width, height] = pixels(openAiSize);
	const distance = (ratio: AspectRatio) => Math.abs(Math.log(ratioOf(ratio) / (width / height)));
	const aspectRatio = [...ASPECT_RATIOS].sort((a, b) => distance(a) - distance(b))[0];
	const tiers = RESOLUTIONS.flatMap((resolution) => {
		const size = documentedSizeFor(aspectRatio, resolution);
		return size ? [{ aspectRatio, resolution, size }] : [];
	});
	const fits = tiers.find(({ size }) => {
		const [w, h] = pixels(size);
		return w >= width && h >= height;
	});
	return fits ?? tiers[tiers.length - 1];
}

/** The README table: one row per OpenAI size. */
export function openAiSizeTable(): string {
	const rows = OPENAI_SIZES.map((openAi) => {
		const { aspectRatio, resolution, size } = uniallSettingsFor(openAi);
		return `| ${openAi} | ${aspectRatio} | ${resolution} | ${size} |`;
	});
	return [
		'| OpenAI size | Aspect Ratio | Resolution | size asked for |',
		'|---|---|---|---|',
		...rows,
	].join('\n');
}

if (require.main === module) console.log(openAiSizeTable());
