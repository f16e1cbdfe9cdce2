/**
 * The pattern the README recommends, as written (issue 28 §1): Estimate Cost → IF (approve) →
 * generate, where the generating node after the IF reads the row with `{{ $json.prompt }}`. Only a
 * real n8n proves it: the IF and the generating node see what n8n hands on from the estimate.
 */
import { POLL_SECONDS } from '../helpers/parameters';
import { useRealN8n } from './realN8nSession.cjs';
import {
	csvRows,
	graph,
	ifAtMost,
	node,
	noOp,
	readFile,
	rowTextToImage,
	trigger,
	uniall,
	UNIALL,
} from './workflows.cjs';

const session = useRealN8n();
const { good, csv, runWorkflow } = session;

/** Approve a row when the whole row costs at most this (USD). */
const APPROVE_UP_TO = 0.1;

describe('Estimate Cost → IF → generate, as the README writes it', () => {
	it('generates the approved rows from their own prompts; the estimates add up to the bill', async () => {
		const rows = csv('estimate-approval', 'prompt,res,n', [
			'a red fox,1K,3',
			'a castle,4K,2',
			'a mug,2K,1',
		]);
		const result = await runWorkflow(
			graph(
				'e2e estimate approval',
				[
					trigger(),
					readFile(rows),
					csvRows(),
					node('Estimate Cost', UNIALL, 1, {
						operation: 'estimateCost',
						resolution: '={{ $json.res }}',
						numImages: '={{ $json.n }}',
					}),
					ifAtMost('Approve', '={{ $json.cost }}', APPROVE_UP_TO),
					uniall(
						rowTextToImage(
							{ pollInterval: POLL_SECONDS },
							{ resolution: '={{ $json.res }}', numImages: '={{ $json.n }}' },
						),
						good,
						{ name: 'Generate' },
					),
					noOp('Not Approved'),
				],
				[
					['Start', 'Read File'],
					['Read File', 'Rows'],
					['Rows', 'Estimate Cost'],
					['Estimate Cost', 'Approve'],
					['Approve', 'Generate', 0],
					['Approve', 'Not Approved', 1],
				],
			),
		);
		expect(result.error).toBeUndefined();

		const estimates = result.items('Estimate Cost');
		expect(estimates.map((i) => [i.json.prompt, i.json.cost, i.json.pricePerImage])).toEqual([
			['a red fox', 0.05508, 0.01836],
			['a castle', 0.22848, 0.11424],
			['a mug', 0.05576, 0.05576],
		]);
		expect(result.items('Not Approved').map((i) => i.json.prompt)).toEqual(['a castle']);

		const images = result.items('Generate');
		expect(images.map((i) => [i.json.prompt, i.json.resolution, i.json.cost])).toEqual([
			['a red fox', '1K', 0.01836],
			['a red fox', '1K', 0.01836],
			['a red fox', '1K', 0.01836],
			['a mug', '2K', 0.05576],
		]);
		expect(images.every((i) => i.binary?.data)).toBe(true);
		// Summing `cost` over the approved estimates gives what the images cost.
		const sum = (items: typeof images) =>
			Number(items.reduce((total, i) => total + Number(i.json.cost), 0).toFixed(5));
		const approved = estimates.filter((i) => Number(i.json.cost) <= APPROVE_UP_TO);
		expect(sum(approved)).toBe(sum(images));
		expect(session.api.count('generations', { accepted: true })).toBe(2);
	});
});
