import { tierOfSize } from '../../nodes/UniAllGptImage2/helpers/contract';
import { sleep } from 'n8n-workflow';

import { imageSizeFor } from '../../tools/stand-in/server.cjs';
import { useStandIn } from '../helpers/standIn';
import { credentialsFor } from '../helpers/credentials';
import { runNode } from '../../tools/n8n/inProcess.cjs';
import { costRows, estimateCostParams } from '../helpers/parameters';

const api = useStandIn({ mode: 'async', latencyMs: 30 });

describe('Estimate Cost', () => {
	it('executionCostIncludingThis is the running total over the rows', async () => {
		const { items, error } = await runNode({
			parameters: estimateCostParams(),
			items: costRows(['1K', 1], ['4K', 2], ['2K', 3]),
		});
		expect(error).toBeUndefined();
		expect(items.map((i) => [i.json.requestCost, i.json.executionCostIncludingThis])).toEqual([
			[0.01836, 0.01836],
			[0.22848, 0.24684],
			[0.16728, 0.41412],
		]);
	});

	it('a refused row adds nothing to the running total', async () => {
		const { items } = await runNode({
			parameters: estimateCostParams('1K'),
			items: [{ json: { n: 1 } }, { json: { n: 12 } }, { json: { n: 2 } }],
			continueOnFail: true,
		});
		expect(items.map((i) => i.json.executionCostIncludingThis ?? 'error')).toEqual([
			0.01836,
			'error',
			0.05508,
		]);
	});
});

describe('Get Task prices the images it fetches', () => {
	/** Submits one row without waiting, lets it finish, and fetches it with Get Task. */
	async function submitThenGet(
		submit: { aspectRatio: string; resolution: string },
		getTaskResolution?: string,
	) {
		const submitted = await runNode({
			credentials: credentialsFor(api.url),
			items: [{ json: { prompt: 'a fox' } }],
			parameters: {
				operation: 'textToImage',
				prompt: '={{ $json.prompt }}',
				numImages: 1,
				...submit,
				options: { waitForCompletion: false },
			},
		});
		expect(submitted.error).toBeUndefined();
		await sleep(150);
		return await runNode({
			credentials: credentialsFor(api.url),
			items: [{ json: submitted.items[0].json }],
			// Resolution left at its default (1K) unless given, as a user who forgot it would.
			parameters: {
				operation: 'getTask',
				taskId: '={{ $json.taskId }}',
				...(getTaskResolution ? { resolution: getTaskResolution } : {}),
			},
		});
	}

	it('uses the resolution, model and cost the task answer reports', async () => {
		api.configure({ extraAnswerFields: { resolution: '2K', model: 'gpt-image-2' } });
		const { items, error } = await submitThenGet({ aspectRatio: '1:1', resolution: '1K' });
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({
			resolution: '2K',
			model: 'gpt-image-2',
			cost: 0.05576,
			requestCost: 0.05576,
		});

		api.configure({ extraAnswerFields: { usage: { cost: 0.2 } } });
		const reported = await submitThenGet({ aspectRatio: '1:1', resolution: '1K' });
		expect(reported.items[0].json).toMatchObject({ cost: 0.2, requestCost: 0.2 });
	});

	it('without a tier in the answer, derives it from the delivered pixel size (a 4K task is not billed at 1K)', async () => {
		const { items, error } = await submitThenGet({ aspectRatio: '16:9', resolution: '4K' });
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({
			...imageSizeFor('16:9', '4K'),
			resolution: '4K',
			cost: 0.11424,
			requestCost: 0.11424,
			model: 'gpt-image-2-origin',
		});
	});

	it('falls back to the Resolution parameter for a size the docs do not list', async () => {
		// The stand-in's 4K 4:5 image is scaled from 2K's: the docs list no 4K 4:5 size.
		const size = imageSizeFor('4:5', '4K');
		expect(tierOfSize(size.width, size.height)).toBeUndefined();
		const { items, error } = await submitThenGet({ aspectRatio: '4:5', resolution: '4K' }, '2K');
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ ...size, resolution: '2K', cost: 0.05576 });
	});
});
