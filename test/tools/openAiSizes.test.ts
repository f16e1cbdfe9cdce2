import { DOCUMENTED_SIZES, RESOLUTIONS } from '../../nodes/UniAllGptImage2/helpers/contract';
import { OPENAI_SIZES, openAiSizeTable, uniallSettingsFor } from '../../tools/swap/openAiSizes.cjs';

const px = (size: string) => size.split('x').map(Number);

describe("OpenAI's sizes → Aspect Ratio × Resolution (from the node's size table)", () => {
	it('maps the examples of issue 28: 1792x1024 → 16:9 2K, 1024x1024 → 1:1 1K', () => {
		expect(uniallSettingsFor('1792x1024')).toEqual({
			aspectRatio: '16:9',
			resolution: '2K',
			size: '1920x1080',
		});
		expect(uniallSettingsFor('1024x1024')).toMatchObject({ aspectRatio: '1:1', resolution: '1K' });
		expect(uniallSettingsFor('1024x1792')).toMatchObject({ aspectRatio: '9:16', resolution: '2K' });
	});

	it.each(OPENAI_SIZES)(
		'%s: a documented size at least as large on both sides, and the tier below would not be',
		(openAi) => {
			const { aspectRatio, resolution, size } = uniallSettingsFor(openAi);
			expect(DOCUMENTED_SIZES[resolution][aspectRatio][0]).toBe(size);
			const [w, h] = px(openAi);
			const [sw, sh] = px(size);
			expect(sw >= w && sh >= h).toBe(true);
			const below = RESOLUTIONS[RESOLUTIONS.indexOf(resolution) - 1];
			if (below) {
				const [bw, bh] = px(DOCUMENTED_SIZES[below][aspectRatio][0]);
				expect(bw >= w && bh >= h).toBe(false);
			}
			// Same orientation as the OpenAI size.
			expect(Math.sign(sw - sh)).toBe(Math.sign(w - h));
		},
	);

	it('prints one README row per OpenAI size', () => {
		const lines = openAiSizeTable().split('\n');
		expect(lines).toHaveLength(2 + OPENAI_SIZES.length);
		expect(lines).toContain('| 1792x1024 | 16:9 | 2K | 1920x1080 |');
	});

	it('refuses what is not a size', () => {
		expect(() => uniallSettingsFor('auto')).toThrow('not a WIDTHxHEIGHT size: auto');
	});
});
