import { generationOptions } from '../../nodes/UniAllGptImage2/actions/shared.properties';
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
				pollInterval: 0.5,
				waitForCompletion: false,
			}),
		).toMatchObject({
			binaryPropertyName: 'image',
			downloadImages: false,
			timeoutMs: 60000,
			pollIntervalMs: 500,
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
