import { submitMayHaveCreatedJob } from '../../nodes/UniAllGptImage2/helpers/budget';

describe('submitMayHaveCreatedJob: does a failed creating POST keep its budget reservation?', () => {
	it.each([
		[{ networkCode: 'ECONNRESET' }, true],
		[{ networkCode: 'ETIMEDOUT' }, true],
		[{ networkCode: 'ECONNABORTED' }, true],
		[{}, true],
		[{ status: 502 }, true],
		[{ status: 504 }, true],
		[{ networkCode: 'ECONNREFUSED' }, false],
		[{ networkCode: 'ENOTFOUND' }, false],
		[{ networkCode: 'EAI_AGAIN' }, false],
		[{ status: 400 }, false],
		[{ status: 429 }, false],
		[{ status: 500 }, false],
		[{ status: 503 }, false],
	])('%j -> %s', (failure, expected) => {
		expect(submitMayHaveCreatedJob(failure)).toBe(expected);
	});
});
