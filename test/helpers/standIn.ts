import { requestFormats } from '../../nodes/UniAllGptImage2/runState/formatMemory';
import { startStandIn, type StandIn, type StandInOptions } from '../../tools/stand-in/server.cjs';

/**
 * One stand-in per test file, reset to `defaults` before every test (log, faults, tasks, mode and
 * latency, and what Auto learned about its URL), so no test sees another's traffic or faults.
 */
export function useStandIn(defaults: StandInOptions = {}): StandIn {
	let current: StandIn | undefined;
	beforeAll(async () => {
		current = await startStandIn(defaults);
	});
	afterAll(async () => await current?.close());
	beforeEach(() => {
		// Request Format Auto remembers per Base URL for the process, and every test of a file talks
		// to this one URL: each test starts knowing nothing, as a first run against it would.
		requestFormats.clear();
		current?.reset();
		current?.configure({
			mode: 'async',
			latencyMs: 30,
			downloadDelayMs: 0,
			resultShape: 'result.outputs',
			largeImages: false,
			// Size is not the point of most tests: tiny striped PNGs keep them fast. Tests of sizes
			// and formats (and every e2e run) set flatImages: false.
			flatImages: true,
			honourIdempotencyKeys: false,
			wrapInData: false,
			echoImageUrls: false,
			refuseFields: [],
			ignoreOutputFormat: false,
			ignoreBackground: false,
			...defaults,
		});
		current?.configure({ extraAnswerFields: {} });
	});
	// Forwards to the server started in beforeAll, so tests can hold `api` from the start.
	return new Proxy({} as StandIn, {
		get(_target, property) {
			if (!current) throw new Error('the stand-in starts in beforeAll');
			const value = current[property as keyof StandIn];
			return typeof value === 'function' ? value.bind(current) : value;
		},
	});
}
