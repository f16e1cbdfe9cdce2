import {
	ASPECT_RATIOS,
	DOCUMENTED_SIZES,
	RESOLUTIONS,
	tierOfSize,
} from '../../nodes/UniAllGptImage2/helpers/contract';

describe('the documented gpt-image-2-origin size table', () => {
	it('has a cell for every ratio and tier, each size of that ratio (within the docs rounding)', () => {
		for (const tier of RESOLUTIONS) {
			for (const ratio of ASPECT_RATIOS) {
				const sizes = DOCUMENTED_SIZES[tier][ratio];
				if (tier === '4K' && ratio === '4:5') {
					expect(sizes).toEqual([]);
					continue;
				}
				expect(sizes.length).toBeGreaterThan(0);
				const [w, h] = ratio.split(':').map(Number);
				for (const size of sizes) {
					const [width, height] = size.split('x').map(Number);
					// Portrait ratios are portrait sizes and landscape ones landscape.
					expect(Math.sign(width - height)).toBe(Math.sign(w - h));
				}
			}
		}
	});

	it('keeps the docs first-listed size first', () => {
		expect(DOCUMENTED_SIZES['1K']['16:9'][0]).toBe('1360x768');
		expect(DOCUMENTED_SIZES['2K']['16:9'][0]).toBe('1920x1080');
		expect(DOCUMENTED_SIZES['4K']['1:1'][0]).toBe('2048x2048');
	});

	it('tells the tier of a delivered size, and nothing for a size the docs do not list', () => {
		expect(tierOfSize(1024, 1024)).toBe('1K');
		expect(tierOfSize(2560, 1440)).toBe('2K');
		expect(tierOfSize(2048, 2048)).toBe('4K');
		expect(tierOfSize(3840, 2160)).toBe('4K');
		expect(tierOfSize(1234, 567)).toBeUndefined();
	});
});
