import type { INodeProperties } from 'n8n-workflow';

import { generationOptions } from '../../nodes/UniAllGptImage2/actions/shared.properties';
import { OPTION_LIMITS } from '../../nodes/UniAllGptImage2/helpers/contract';
import {
	OPTION_DEFAULTS,
	readRowOptions,
	readRunOptions,
} from '../../nodes/UniAllGptImage2/helpers/options';

describe('options', () => {
	it('has sensible defaults', () => {
		expect(readRowOptions({})).toEqual({
			binaryPropertyName: 'data',
			downloadImages: true,
			timeoutMs: 300000,
			pollIntervalMs: 3000,
			model: undefined,
			waitForCompletion: true,
			requestFormat: 'auto',
		});
		expect(readRunOptions({})).toEqual({
			concurrency: 4,
			maxRetries: 2,
			maxCostPerExecution: undefined,
		});
	});

	it('reads what the user set', () => {
		expect(
			readRowOptions({
				binaryPropertyName: 'image',
				downloadImages: false,
				timeout: 60,
				pollInterval: 1.5,
				waitForCompletion: false,
			}),
		).toMatchObject({
			binaryPropertyName: 'image',
			downloadImages: false,
			timeoutMs: 60000,
			pollIntervalMs: 1500,
			waitForCompletion: false,
		});
		expect(readRunOptions({ concurrency: 8, maxRetries: 0, maxCostPerExecution: 1.5 })).toEqual({
			concurrency: 8,
			maxRetries: 0,
			maxCostPerExecution: 1.5,
		});
		expect(readRunOptions({ maxCostPerExecution: 0 }).maxCostPerExecution).toBe(0);
	});

	it.each([
		[{ concurrency: 0 }, /Concurrency must be a whole number from 1 to 32, got 0/],
		[{ concurrency: 2.5 }, /Concurrency/],
		[{ maxRetries: -1 }, /Max Retries/],
		[{ maxCostPerExecution: -2 }, /Max Cost per Execution/],
	])('refuses %j', (raw, message) => {
		expect(() => readRunOptions(raw)).toThrow(message);
	});

	it('refuses an empty output field name and a zero timeout', () => {
		expect(() => readRowOptions({ binaryPropertyName: ' ' })).toThrow(/must not be empty/);
		expect(() => readRowOptions({ timeout: 0 })).toThrow(/Timeout/);
	});

	// Issue 18: values that used to be accepted (from expressions) or clamped (in the editor) to
	// something that hurts: a Timeout no generation can meet, 20 status checks a second per row.
	it.each([
		[{ timeout: 0.6 }, 'Timeout (Seconds) must be a number from 60 to 86400, got 0.6'],
		[{ timeout: -1 }, 'Timeout (Seconds) must be a number from 60 to 86400, got -1'],
		[{ timeout: '59' }, 'Timeout (Seconds) must be a number from 60 to 86400, got 59'],
		[{ pollInterval: 0 }, 'Poll Interval (Seconds) must be a number from 1 to 3600, got 0'],
		[{ pollInterval: 0.05 }, 'Poll Interval (Seconds) must be a number from 1 to 3600, got 0.05'],
	])('refuses %j, naming the option and its limits', (raw, message) => {
		expect(() => readRowOptions(raw)).toThrow(message);
	});

	it('takes the limits themselves', () => {
		expect(
			readRowOptions({
				timeout: OPTION_LIMITS.timeoutSeconds.min,
				pollInterval: OPTION_LIMITS.pollIntervalSeconds.min,
			}),
		).toMatchObject({ timeoutMs: 60_000, pollIntervalMs: 1000 });
	});
});

describe('the editor enforces and states the same limits as the code', () => {
	const shown = (name: string) =>
		(generationOptions().options as INodeProperties[]).find(
			(o) => o.name === name,
		) as INodeProperties;

	it.each([
		['timeout', OPTION_LIMITS.timeoutSeconds, 'From 60 to 86,400 seconds.'],
		['pollInterval', OPTION_LIMITS.pollIntervalSeconds, 'From 1 to 3,600 seconds.'],
		['concurrency', OPTION_LIMITS.concurrency, 'From 1 to 32.'],
		['maxRetries', OPTION_LIMITS.maxRetries, 'From 0 to 10.'],
		['maxCostPerExecution', OPTION_LIMITS.maxCostPerExecution, 'From 0 to 1,000,000 USD.'],
	])(
		'%s: minValue/maxValue are OPTION_LIMITS, and the description says them',
		(name, limits, text) => {
			expect(shown(name).typeOptions).toMatchObject({ minValue: limits.min, maxValue: limits.max });
			expect(shown(name).description).toContain(text);
		},
	);

	it('Max Cost per Execution says that it has no limit until it is added, and what adding fills in', () => {
		expect(shown('maxCostPerExecution').default).toBe(5);
		expect(shown('maxCostPerExecution').description).toContain(
			'Without this option there is no limit; adding it starts at $5.00.',
		);
		expect(readRunOptions({}).maxCostPerExecution).toBeUndefined();
	});
});

describe('option defaults shown in the editor are the ones the code uses', () => {
	it('matches OPTION_DEFAULTS', () => {
		const shown = Object.fromEntries(
			(generationOptions().options as Array<{ name: string; default: unknown }>).map((o) => [
				o.name,
				o.default,
			]),
		);
		expect(shown).toMatchObject({
			binaryPropertyName: OPTION_DEFAULTS.binaryPropertyName,
			downloadImages: OPTION_DEFAULTS.downloadImages,
			timeout: OPTION_DEFAULTS.timeoutSeconds,
			pollInterval: OPTION_DEFAULTS.pollIntervalSeconds,
			concurrency: OPTION_DEFAULTS.concurrency,
			maxRetries: OPTION_DEFAULTS.maxRetries,
			waitForCompletion: OPTION_DEFAULTS.waitForCompletion,
			requestFormat: OPTION_DEFAULTS.requestFormat,
		});
	});
});
