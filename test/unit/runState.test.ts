import { BudgetExceededError } from '../../nodes/UniAllGptImage2/helpers/errors';
import { BudgetGuard, submitMayHaveCreatedJob } from '../../nodes/UniAllGptImage2/runState/budget';
import { runPool } from '../../nodes/UniAllGptImage2/runState/pool';
import { RateGate } from '../../nodes/UniAllGptImage2/runState/rateGate';

const tick = async () => {
	for (let i = 0; i < 3; i++) await Promise.resolve();
};

describe('runPool', () => {
	it('keeps input order whatever finishes first and never exceeds the concurrency', async () => {
		let inFlight = 0;
		let peak = 0;
		const { results } = await runPool(10, 3, async (i) => {
			inFlight++;
			peak = Math.max(peak, inFlight);
			for (let k = 0; k < 10 - i; k++) await tick(); // later items finish first
			inFlight--;
			return i * 10;
		});
		expect(peak).toBe(3);
		expect(results.map((r) => (r?.ok ? r.value : null))).toEqual([
			0, 10, 20, 30, 40, 50, 60, 70, 80, 90,
		]);
	});

	it('with stopOnError starts nothing new after a failure but lets running work settle', async () => {
		const started: number[] = [];
		const finished: number[] = [];
		const { results, firstError } = await runPool(
			8,
			2,
			async (i) => {
				started.push(i);
				await tick();
				if (i === 1) throw new Error('row 1 failed');
				await tick();
				finished.push(i);
				return i;
			},
			{ stopOnError: true },
		);
		expect(firstError?.index).toBe(1);
		expect(started).toEqual([0, 1]);
		// Row 0 was already running when row 1 failed: it still finishes (its images are paid for).
		expect(finished).toEqual([0]);
		expect(results[0]).toEqual({ ok: true, value: 0 });
		expect(results.slice(2)).toEqual(new Array(6).fill(undefined));
	});

	it('without stopOnError runs every item and reports each failure in place', async () => {
		const { results } = await runPool(4, 4, async (i) => {
			if (i % 2) throw new Error(`bad ${i}`);
			return i;
		});
		expect(results.map((r) => r?.ok)).toEqual([true, false, true, false]);
	});

	it('stops taking items once cancelled', async () => {
		let cancelled = false;
		const seen: number[] = [];
		await runPool(
			5,
			1,
			async (i) => {
				seen.push(i);
				if (i === 1) cancelled = true;
			},
			{ isCancelled: () => cancelled },
		);
		expect(seen).toEqual([0, 1]);
	});
});

describe('RateGate', () => {
	it('pauses for the longest requested time and never shortens a pause', () => {
		let now = 1000;
		const gate = new RateGate(() => now);
		expect(gate.remainingMs()).toBe(0);
		gate.pauseFor(3000);
		gate.pauseFor(500);
		expect(gate.remainingMs()).toBe(3000);
		now += 2500;
		expect(gate.remainingMs()).toBe(500);
		now += 600;
		expect(gate.remainingMs()).toBe(0);
	});
});

describe('BudgetGuard', () => {
	it('refuses a request that would pass the limit, counting reservations in flight', () => {
		const guard = new BudgetGuard(0.1);
		const a = guard.reserve(0.05576);
		expect(() => guard.reserve(0.05576)).toThrow(BudgetExceededError);
		a.settle(0.05576);
		expect(guard.spent).toBe(0.05576);
		const b = guard.reserve(0.01836);
		b.settle(0.01836);
		expect(guard.spent).toBe(0.07412);
	});

	it('settles to what was delivered and frees what was not used', () => {
		const guard = new BudgetGuard(0.2);
		const r = guard.reserve(0.11152); // 2 x 2K reserved
		expect(r.settle(0.05576)).toBe(0.05576); // 1 delivered
		expect(() => guard.reserve(0.11424)).not.toThrow();
	});

	it('release gives the whole reservation back, once', () => {
		const guard = new BudgetGuard(0.05);
		const r = guard.reserve(0.05);
		r.release();
		r.release();
		r.settle(1);
		expect(guard.spent).toBe(0);
		expect(() => guard.reserve(0.05)).not.toThrow();
	});

	it('continues from what earlier runs of the execution spent, and has no limit when none is set', () => {
		const guard = new BudgetGuard(0.1, 0.09);
		expect(() => guard.reserve(0.01836)).toThrow(/bring the spend of this execution to \$0.10836/);
		const unlimited = new BudgetGuard(undefined);
		expect(() => unlimited.reserve(1000)).not.toThrow();
	});
});

describe('submitMayHaveCreatedJob: does a failed creating POST keep its budget reservation?', () => {
	it.each([
		[{ networkCode: 'ECONNRESET' }, true],
		[{ networkCode: 'ETIMEDOUT' }, true],
		[{ networkCode: 'ECONNABORTED' }, true],
		[{}, true],
		[{ status: 502 }, true],
		[{ status: 504 }, true],
		// Cloudflare after the origin got the request: 520 unknown error, 524 no answer in 100 s.
		[{ status: 520 }, true],
		[{ status: 524 }, true],
		// Cloudflare never reached the origin.
		[{ status: 522 }, false],
		[{ status: 523 }, false],
		// A 2xx answer that could not be read (cut off, HTML, over the cap) was an acceptance.
		[{ status: 200 }, true],
		[{ status: 202 }, true],
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

describe('Reservation: one row, closed once to what was (or may be) billed', () => {
	it('settles to the estimate until images exist, then to what they cost', () => {
		const guard = new BudgetGuard(1);
		const r = guard.reserve(0.11152);
		expect(r.estimateUsd).toBe(0.11152);
		r.owe(0.05576);
		expect(r.settle()).toBe(0.05576);
		expect(r.settle(1)).toBe(0.05576); // closed: later settles change nothing
		const open = guard.reserve(0.01836);
		expect(open.settle()).toBe(0.07412);
	});

	it('after a failed submit: counted when the job may exist, freed when nothing was accepted', () => {
		const guard = new BudgetGuard(0.06);
		expect(guard.reserve(0.05576).afterFailedSubmit({ networkCode: 'ECONNREFUSED' })).toBe(false);
		expect(guard.spent).toBe(0);
		expect(guard.reserve(0.05576).afterFailedSubmit(undefined)).toBe(false);
		expect(guard.spent).toBe(0);
		expect(guard.reserve(0.05576).afterFailedSubmit({ status: 504 })).toBe(true);
		expect(guard.spent).toBe(0.05576);
		expect(() => guard.reserve(0.01836)).toThrow(BudgetExceededError);
	});
});
