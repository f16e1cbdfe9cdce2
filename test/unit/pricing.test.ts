import { PRICE_PER_IMAGE_USD } from '../../nodes/UniAllGptImage2/helpers/contract';
import { addUsd, requestCost, splitCost } from '../../nodes/UniAllGptImage2/helpers/pricing';

describe('pricing', () => {
	it('uses the published price per image', () => {
		expect(PRICE_PER_IMAGE_USD).toEqual({ '1K': 0.01836, '2K': 0.05576, '4K': 0.11424 });
		expect(requestCost('1K', 1)).toBe(0.01836);
		expect(requestCost('2K', 4)).toBe(0.22304);
		expect(requestCost('4K', 8)).toBe(0.91392);
		expect(requestCost('4K', 0)).toBe(0);
	});

	it('charges only delivered images', () => {
		const { requestCost: total, perImage } = splitCost('2K', 3);
		expect(perImage).toEqual([0.05576, 0.05576, 0.05576]);
		expect(total).toBe(0.16728);
		expect(splitCost('2K', 0)).toEqual({ requestCost: 0, perImage: [] });
	});

	it('prefers a cost the API reports and splits it so the parts add up exactly', () => {
		const { requestCost: total, perImage } = splitCost('1K', 3, 0.1);
		expect(total).toBe(0.1);
		expect(addUsd(...perImage)).toBe(0.1);
		expect(perImage).toEqual([0.03334, 0.03333, 0.03333]);
	});

	it('ignores a reported cost that is not a number', () => {
		expect(splitCost('1K', 2, Number.NaN).requestCost).toBe(0.03672);
		expect(splitCost('1K', 2, -1).requestCost).toBe(0.03672);
	});

	it('adds many small amounts without floating-point drift', () => {
		const amounts = Array.from({ length: 1000 }, () => 0.01836);
		expect(addUsd(...amounts)).toBe(18.36);
	});
});
