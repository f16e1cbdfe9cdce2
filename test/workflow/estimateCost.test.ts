import { runNode } from '../../tools/n8n/inProcess.cjs';
import { costRows, estimateCostParams } from '../helpers/parameters';

describe('Estimate Cost (real n8n execution, no API call)', () => {
	it('prices each row from its own expressions, with the same fields as a real run', async () => {
		const { items, error } = await runNode({
			parameters: estimateCostParams(),
			items: costRows(['1K', 1], ['4K', 8], ['2K', 3]),
		});
		expect(error).toBeUndefined();
		expect(items.map((i) => i.json)).toEqual([
			expect.objectContaining({
				resolution: '1K',
				numImages: 1,
				pricePerImage: 0.01836,
				cost: 0.01836,
				requestCost: 0.01836,
				currency: 'USD',
			}),
			expect.objectContaining({
				resolution: '4K',
				numImages: 8,
				pricePerImage: 0.11424,
				cost: 0.91392,
				requestCost: 0.91392,
				currency: 'USD',
			}),
			expect.objectContaining({
				resolution: '2K',
				numImages: 3,
				pricePerImage: 0.05576,
				cost: 0.16728,
				requestCost: 0.16728,
				currency: 'USD',
			}),
		]);
		expect(items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	});

	it('summing cost over the estimate items gives what the rows will cost', async () => {
		const { items } = await runNode({
			parameters: estimateCostParams(),
			items: costRows(['4K', 3], ['1K', 2]),
		});
		const sum = items.reduce((total, i) => total + Number(i.json.cost), 0);
		expect(Number(sum.toFixed(5))).toBe(0.37944);
		expect(items.at(-1)?.json.executionCostIncludingThis).toBe(0.37944);
	});

	it("keeps the row's fields and files for the node after the IF", async () => {
		const { items } = await runNode({
			parameters: estimateCostParams(),
			items: [
				{
					json: { prompt: 'A red fox', res: '2K', n: 2, sku: 'A-1' },
					binary: {
						photo: { data: Buffer.from('hello'), mimeType: 'image/png', fileName: 'a.png' },
					},
				},
			],
		});
		expect(items[0].json).toEqual({
			prompt: 'A red fox',
			res: '2K',
			n: 2,
			sku: 'A-1',
			operation: 'estimateCost',
			resolution: '2K',
			numImages: 2,
			pricePerImage: 0.05576,
			cost: 0.11152,
			currency: 'USD',
			requestCost: 0.11152,
			executionCostIncludingThis: 0.11152,
		});
		expect(items[0].binary?.photo).toEqual(
			expect.objectContaining({ mimeType: 'image/png', fileName: 'a.png' }),
		);
	});

	it("keeps a row field the estimate's field replaces under replacedRowFields", async () => {
		const { items } = await runNode({
			parameters: estimateCostParams('1K', 1),
			items: [{ json: { prompt: 'A mug', cost: 12.5, currency: 'EUR', resolution: '1K' } }],
		});
		expect(items[0].json).toEqual(
			expect.objectContaining({
				prompt: 'A mug',
				cost: 0.01836,
				currency: 'USD',
				resolution: '1K',
				replacedRowFields: { cost: 12.5, currency: 'EUR' },
			}),
		);
	});

	it('refuses a bad count by row, and Continue On Fail keeps the other rows', async () => {
		const { items } = await runNode({
			parameters: estimateCostParams('1K'),
			items: [{ json: { n: 2 } }, { json: { n: 12 } }],
			continueOnFail: true,
		});
		expect(items[0].json.requestCost).toBe(0.03672);
		expect(items[1].json.error).toBe(
			'Number of Images must be a whole number from 1 to 8, got 12 [item 1]',
		);
		expect(items[1].pairedItem).toEqual({ item: 1 });
	});

	it('without Continue On Fail the execution fails naming the row and field', async () => {
		const { error } = await runNode({
			parameters: estimateCostParams('={{ $json.r }}', 1),
			items: [{ json: { r: '1K' } }, { json: { r: '16K' } }],
		});
		expect(error?.message).toBe(
			'Resolution "16K" is not supported. Use one of 1K, 2K, 4K [item 1]',
		);
	});
});

describe("n8n's Custom API Call entry", () => {
	// n8n adds "Custom API Call" to the Operation list of any node whose credential has an
	// `authenticate` block; it is n8n's pointer to its HTTP Request node, not one of ours.
	it('fails with words that say what it is and what to use instead', async () => {
		const { error, items } = await runNode({
			parameters: { operation: '__CUSTOM_API_CALL__' },
			items: costRows(['1K', 1]),
		});
		expect(items).toHaveLength(0);
		expect(error?.message).toBe(
			'Custom API Call is not an operation of this node. n8n lists it for every node whose ' +
				"credential can sign requests; for another UniAll route, use n8n's HTTP Request node",
		);
	});
});
