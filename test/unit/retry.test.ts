import {
	backoffDelayMs,
	isRetryable,
	nextRetry,
	parseRetryAfter,
	rateLimitDelayMs,
	type RetryState,
} from '../../nodes/UniAllGptImage2/helpers/retry';

describe('isRetryable', () => {
	it('retries reads on rate limits, gateway errors and dropped connections', () => {
		for (const status of [429, 500, 502, 503, 504, 520, 522, 523, 524])
			expect(isRetryable('read', status)).toBe(true);
		for (const code of ['ECONNRESET', 'ETIMEDOUT', 'ECONNREFUSED', 'EPIPE'])
			expect(isRetryable('read', undefined, code)).toBe(true);
	});

	it('never retries client errors', () => {
		for (const status of [400, 401, 402, 403, 404, 422]) {
			expect(isRetryable('read', status)).toBe(false);
			expect(isRetryable('submit', status)).toBe(false);
		}
	});

	it('resubmits a paid POST only when no job can have been created', () => {
		expect(isRetryable('submit', 429)).toBe(true);
		expect(isRetryable('submit', 503)).toBe(true);
		expect(isRetryable('submit', undefined, 'ECONNREFUSED')).toBe(true);
		expect(isRetryable('submit', undefined, 'ENOTFOUND')).toBe(true);
		// Cloudflare could not reach the origin (522 connect timeout, 523 unreachable): not sent.
		expect(isRetryable('submit', 522)).toBe(true);
		expect(isRetryable('submit', 523)).toBe(true);
		// The request may have been accepted before these happened: resending could bill twice.
		expect(isRetryable('submit', 500)).toBe(false);
		expect(isRetryable('submit', 502)).toBe(false);
		expect(isRetryable('submit', 504)).toBe(false);
		// Cloudflare: 520 and 524 come after the origin got the request (524: it took over 100 s).
		expect(isRetryable('submit', 520)).toBe(false);
		expect(isRetryable('submit', 524)).toBe(false);
		expect(isRetryable('submit', undefined, 'ECONNRESET')).toBe(false);
		expect(isRetryable('submit', undefined, 'ETIMEDOUT')).toBe(false);
		expect(isRetryable('submit', undefined, undefined)).toBe(false);
	});
});

describe('backoffDelayMs', () => {
	it('grows exponentially with jitter inside [cap/2, cap]', () => {
		expect(backoffDelayMs(0, undefined, { random: () => 0 })).toBe(500);
		expect(backoffDelayMs(0, undefined, { random: () => 0.999999 })).toBe(1000);
		expect(backoffDelayMs(3, undefined, { random: () => 0 })).toBe(4000);
		expect(backoffDelayMs(20, undefined, { random: () => 1 })).toBe(30000);
	});

	it('honours Retry-After over the exponential schedule', () => {
		expect(backoffDelayMs(0, 7)).toBe(7000);
		expect(backoffDelayMs(5, 0)).toBe(0);
		expect(backoffDelayMs(0, 100000)).toBe(300000);
	});
});

describe('rateLimitDelayMs', () => {
	it('waits out rate limits however many came, as long as the wait ends before the deadline', () => {
		expect(rateLimitDelayMs(0, 1, 60_000)).toBe(1000);
		expect(rateLimitDelayMs(50, 1, 60_000)).toBe(1000);
		expect(rateLimitDelayMs(3, undefined, 60_000, { random: () => 0 })).toBe(4000);
	});

	it('waits a little even when told Retry-After: 0, so endless 429s are no tight loop', () => {
		expect(rateLimitDelayMs(7, 0, 60_000)).toBe(250);
	});

	it('gives up only when the wait would pass the deadline', () => {
		expect(rateLimitDelayMs(0, 2, 1999)).toBeUndefined();
		expect(rateLimitDelayMs(0, 2, 2001)).toBe(2000);
	});
});

describe('parseRetryAfter', () => {
	it('reads seconds and HTTP dates', () => {
		expect(parseRetryAfter('3')).toBe(3);
		expect(parseRetryAfter(['1.5'])).toBe(1.5);
		const now = Date.parse('2026-11-25T10:00:00Z');
		expect(parseRetryAfter('Wed, 25 Nov 2026 10:00:30 GMT', now)).toBe(30);
		expect(parseRetryAfter('Wed, 25 Nov 2026 09:00:00 GMT', now)).toBe(0);
	});

	it('ignores what it cannot read', () => {
		expect(parseRetryAfter(undefined)).toBeUndefined();
		expect(parseRetryAfter('soon')).toBeUndefined();
		expect(parseRetryAfter('')).toBeUndefined();
	});
});

describe('nextRetry: the one policy of API calls and image downloads', () => {
	const fresh = (): RetryState => ({ errors: 0, rateLimits: 0 });
	const noJitter = { random: () => 0 };

	it('waits rate limits out with every row, without spending Max Retries', () => {
		const state = fresh();
		for (let i = 0; i < 5; i++) {
			expect(
				nextRetry(
					state,
					{ status: 429, retryAfterSeconds: 1, rateLimited: true },
					'submit',
					0,
					60_000,
				),
			).toEqual({ action: 'wait', ms: 1000, everyRow: true });
		}
		expect(state).toEqual({ errors: 0, rateLimits: 5 });
		expect(
			nextRetry(state, { status: 429, retryAfterSeconds: 2, rateLimited: true }, 'read', 0, 1500),
		).toEqual({ action: 'rate-limited' });
	});

	it('retries server and network errors up to Max Retries, alone unless told Retry-After', () => {
		const state = fresh();
		expect(
			nextRetry(state, { status: 503, rateLimited: false }, 'submit', 2, 60_000, noJitter),
		).toEqual({ action: 'wait', ms: 500, everyRow: false });
		expect(
			nextRetry(
				state,
				{ status: 503, retryAfterSeconds: 3, rateLimited: false },
				'submit',
				2,
				60_000,
			),
		).toEqual({ action: 'wait', ms: 3000, everyRow: true });
		expect(nextRetry(state, { status: 503, rateLimited: false }, 'submit', 2, 60_000)).toEqual({
			action: 'give-up',
		});
	});

	it('gives up on what is not safe to repeat, a 429 that is no rate limit, and a wait past the deadline', () => {
		expect(
			nextRetry(fresh(), { networkCode: 'ECONNRESET', rateLimited: false }, 'submit', 5, 60_000),
		).toEqual({ action: 'give-up' });
		expect(
			nextRetry(
				fresh(),
				{ networkCode: 'ECONNRESET', rateLimited: false },
				'read',
				5,
				60_000,
				noJitter,
			),
		).toEqual({ action: 'wait', ms: 500, everyRow: false });
		expect(nextRetry(fresh(), { status: 429, rateLimited: false }, 'read', 5, 60_000)).toEqual({
			action: 'give-up',
		});
		expect(
			nextRetry(fresh(), { status: 502, rateLimited: false }, 'read', 5, 400, noJitter),
		).toEqual({ action: 'give-up' });
	});
});
