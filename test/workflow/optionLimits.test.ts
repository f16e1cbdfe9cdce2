import type { INodeProperties } from 'n8n-workflow';

import { generationOptions } from '../../nodes/UniAllGptImage2/actions/shared.properties';
import { runNode } from '../../tools/n8n/inProcess.cjs';
import { credentialsFor } from '../helpers/credentials';
import { textToImageParams } from '../helpers/parameters';
import { useStandIn } from '../helpers/standIn';

/**
 * The editor clamps a typed number to the option's minValue/maxValue (the browser suite checks
 * that), but a value from an expression reaches the node as it is: the node must refuse it with
 * its own words, naming the option, its limits and the row. Every limited option of the
 * description is covered, read from the description, so a new one cannot be missed.
 */
const api = useStandIn({ mode: 'async', latencyMs: 20 });

/** Read once per node run, from the first item (README, Options). */
const RUN_OPTIONS = ['concurrency', 'maxRetries', 'maxCostPerExecution'];

const limited = (generationOptions().options as INodeProperties[]).filter(
	(o) => o.type === 'number' && o.typeOptions?.minValue !== undefined,
);

/** Just outside the limit: whole-number options by 1, the others by a cent. */
function outside(option: INodeProperties, side: 'below' | 'above'): number {
	const step = option.typeOptions?.numberPrecision === 0 ? 1 : 0.01;
	const { minValue, maxValue } = option.typeOptions as { minValue: number; maxValue: number };
	return side === 'below'
		? Number((minValue - step).toFixed(2))
		: Number((maxValue + step).toFixed(2));
}

function expectedMessage(option: INodeProperties, value: number, item: number): string {
	const { minValue, maxValue, numberPrecision } = option.typeOptions as Record<string, number>;
	const kind = numberPrecision === 0 ? 'a whole number' : 'a number';
	return `${option.displayName} must be ${kind} from ${minValue} to ${maxValue}, got ${value} [item ${item}]`;
}

/** Options of the row: an out-of-range value from a row's expression fails that row only. */
const rowOptions = limited.filter((o) => !RUN_OPTIONS.includes(o.name));
/** What an option needs beside it to be read at all (compression applies to JPEG and WebP). */
const companions: Record<string, Record<string, unknown>> = {
	outputCompression: { outputFormat: 'jpeg' },
};

describe('an option outside its limits, from an expression (real n8n execution)', () => {
	it('covers every limited option of the description', () => {
		expect(limited.map((o) => o.name).sort()).toEqual(
			[
				'concurrency',
				'maxCostPerExecution',
				'maxRetries',
				'outputCompression',
				'pollInterval',
				'timeout',
			].sort(),
		);
	});

	describe.each(rowOptions.map((o) => [o.displayName, o] as const))('%s', (_label, option) => {
		it.each(['below', 'above'] as const)(
			'%s its limit fails that row naming option, limits and row; the other row gets its image',
			async (side) => {
				const bad = outside(option, side);
				const { items, error } = await runNode({
					credentials: credentialsFor(api.url),
					parameters: textToImageParams({
						...companions[option.name],
						[option.name]: `={{ $json.value }}`,
					}),
					items: [
						{ json: { prompt: 'row 0 a kettle', value: option.typeOptions?.minValue } },
						{ json: { prompt: 'row 1 a teapot', value: bad } },
					],
					continueOnFail: true,
				});
				expect(error).toBeUndefined();
				expect(items).toHaveLength(2);
				expect(items[0].json).toMatchObject({ cost: 0.01836 });
				expect(items[0].binary?.data).toBeDefined();
				expect(items[1].json.error).toBe(expectedMessage(option, bad, 1));
				expect(items[1].pairedItem).toEqual({ item: 1 });
			},
		);
	});

	// Concurrency, Max Retries and Max Cost apply to the whole run: read from the first item, so a
	// bad value there fails the node before anything is sent.
	describe.each(
		limited.filter((o) => RUN_OPTIONS.includes(o.name)).map((o) => [o.displayName, o] as const),
	)('%s', (_label, option) => {
		it.each(['below', 'above'] as const)(
			'%s its limit fails the run before any request',
			async (side) => {
				const bad = outside(option, side);
				const before = api.log.length;
				const { error } = await runNode({
					credentials: credentialsFor(api.url),
					parameters: textToImageParams({ [option.name]: `={{ $json.value }}` }),
					items: [{ json: { prompt: 'row 0 a kettle', value: bad } }],
				});
				expect(error?.message).toBe(expectedMessage(option, bad, 0));
				expect(api.log.length).toBe(before);
			},
		);
	});
});
