/** A queue of injected faults: each request takes the first fault queued for its route (or `*`). */
import type { Fault, RouteName } from './types.cjs';

const KINDS = new Set([
	'status',
	'drop',
	'slow',
	'accept-then-drop',
	'redirect',
	'not-image',
	'truncate',
]);
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

export class FaultQueue {
	private queue: Array<Fault & { left: number }> = [];

	/** Throws on a malformed fault so a typo in a test or an admin call fails loudly, not silently. */
	add(fault: Fault): void {
		if (
			!fault ||
			typeof fault !== 'object' ||
			!KINDS.has(fault.kind) ||
			typeof fault.route !== 'string'
		) {
			throw new Error(`Not a fault: ${JSON.stringify(fault)}`);
		}
		// A status fault without a status answers 500.
		if (
			fault.kind === 'status' &&
			fault.status !== undefined &&
			!(Number.isInteger(fault.status) && fault.status >= 400 && fault.status <= 599)
		) {
			throw new Error(
				`A status fault needs an HTTP error status (400-599), got ${String(fault.status)}`,
			);
		}
		if (
			fault.kind === 'redirect' &&
			(typeof fault.location !== 'string' || fault.location === '')
		) {
			throw new Error('A redirect fault needs a `location`');
		}
		if (
			fault.kind === 'redirect' &&
			fault.status !== undefined &&
			!REDIRECT_STATUSES.has(fault.status)
		) {
			throw new Error(
				`A redirect fault needs a redirect status (301, 302, 303, 307, 308), got ${String(fault.status)}`,
			);
		}
		this.queue.push({ ...fault, left: fault.times ?? 1 });
	}

	/** The fault this request suffers, if any; each use counts against the fault's `times`. */
	take(route: RouteName): Fault | undefined {
		const fault = this.queue.find((f) => f.route === '*' || f.route === route);
		if (!fault) return undefined;
		fault.left--;
		if (fault.left <= 0) this.queue.splice(this.queue.indexOf(fault), 1);
		return fault;
	}

	clear(): void {
		this.queue = [];
	}

	get pending(): number {
		return this.queue.length;
	}
}
