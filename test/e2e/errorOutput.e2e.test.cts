/**
 * Where a real n8n sends failed rows (issue 10 §1): with On Error "Continue (using error output)"
 * a failed row must leave by output 1 and the images by output 0; with "Continue (using regular
 * output)" the failed row stays on output 0 with its flat error fields. Only n8n itself can prove
 * this: it decides the routing from what the items look like.
 */
import { POLL_SECONDS } from '../helpers/parameters';
import { useRealN8n } from './realN8nSession.cjs';
import { branchedWorkflow, csvToUniAllNodes, noOp, rowTextToImage } from './workflows.cjs';

const session = useRealN8n();
const { good, csv, runWorkflow } = session;

const policyMessage = "The prompt was rejected by UniAll's content policy [item 1]";

/** Three rows, the second refused by the content policy, through a node named UniAll with `onError`, whose outputs feed `outputs`. */
const runPolicyRows = async (
	tag: string,
	onError: string,
	outputs: Array<ReturnType<typeof noOp>>,
) =>
	await runWorkflow(
		branchedWorkflow(
			`e2e ${tag.replace('-', ' ')}`,
			csvToUniAllNodes({
				csvPath: csv(tag, 'prompt', ['row one', 'row two [fail:policy]', 'row three']),
				parameters: rowTextToImage({ pollInterval: POLL_SECONDS }),
				credential: good,
				uniall: { name: 'UniAll', onError },
			}),
			outputs,
		),
	);

describe('failed rows go where n8n users route them', () => {
	it('Continue (using error output): 2 images reach "Images", the rejected row reaches "Failed"', async () => {
		const result = await runPolicyRows('error-output', 'continueErrorOutput', [
			noOp('Images'),
			noOp('Failed'),
		]);
		expect(result.error).toBeUndefined();

		const images = result.items('Images');
		expect(images.map((i) => [i.json.prompt, i.json.cost, Boolean(i.binary?.data)])).toEqual([
			['row one', 0.01836, true],
			['row three', 0.01836, true],
		]);

		const failed = result.items('Failed');
		expect(failed).toHaveLength(1);
		expect(failed[0].binary).toBeUndefined();
		// n8n merges the input row in; `message` and `error` say what went wrong.
		expect(failed[0].json).toEqual({
			prompt: 'row two [fail:policy]',
			message: policyMessage,
			error: {
				message: policyMessage,
				description: expect.stringMatching(/Rephrase the prompt/),
				reason: 'content_policy',
				httpCode: '400',
			},
		});

		// On the node's own outputs: output 1 holds the error item, paired with row 1 (the second row).
		const outputs = result.runData.UniAll.at(-1)?.data?.main ?? [];
		expect(outputs.map((output) => output.length)).toEqual([2, 1]);
		expect(outputs[0].map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 2 }]);
		expect(outputs[1][0].pairedItem).toEqual({ item: 1 });
		expect(session.api.count('generations', { accepted: true })).toBe(2);
	});

	it('Continue (using regular output): the rejected row stays on output 0 with its flat error fields', async () => {
		const result = await runPolicyRows('regular-output', 'continueRegularOutput', [noOp('Images')]);
		expect(result.error).toBeUndefined();
		const items = result.items('Images');
		expect(items.map((i) => i.json.error ?? i.json.prompt)).toEqual([
			'row one',
			policyMessage,
			'row three',
		]);
		expect(items[1].json).toEqual({
			error: policyMessage,
			errorDescription: expect.stringMatching(/Rephrase the prompt/),
			errorReason: 'content_policy',
			httpCode: '400',
		});
		expect(result.runData.UniAll.at(-1)?.data?.main?.[0]?.[1]?.pairedItem).toEqual({ item: 1 });
	});
});
