/**
 * Idempotency-Key the way Stripe honours it (`honourIdempotencyKeys`): the first accepted request
 * with a key is remembered with its body; a repeat with the same body gets the first answer again
 * (no new job, nothing billed), a repeat with a different body is refused with 422. Requests that
 * were refused before a job was created (validation, content policy, faults) are not remembered, so
 * a resend after a 429 is processed normally.
 */
import { createHash } from 'node:crypto';

import { errorBody } from './errors.cjs';
import type { Reply } from './routes.cjs';

interface Remembered {
	bodyHash: string;
	/** The first answer; a promise while a synchronous generation is still running. */
	reply: Promise<Reply>;
	taskId?: string;
}

export type KeyCheck =
	| { kind: 'new' }
	| { kind: 'replay'; reply: Promise<Reply>; taskId?: string }
	| { kind: 'conflict'; reply: Reply };

export class IdempotencyStore {
	private readonly seen = new Map<string, Remembered>();

	check(key: string, body: unknown): KeyCheck {
		const first = this.seen.get(key);
		if (!first) return { kind: 'new' };
		if (first.bodyHash === hashBody(body))
			return { kind: 'replay', reply: first.reply, taskId: first.taskId };
		return {
			kind: 'conflict',
			reply: {
				status: 422,
				json: errorBody(422, {
					type: 'idempotency_error',
					code: 'idempotency_key_reused',
					message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
				}),
			},
		};
	}

	remember(key: string, body: unknown, reply: Promise<Reply>, taskId?: string): void {
		this.seen.set(key, { bodyHash: hashBody(body), reply, taskId });
	}

	clear(): void {
		this.seen.clear();
	}
}

/** The same JSON whatever the key order. */
function hashBody(body: unknown): string {
	return createHash('sha256').update(canonical(body)).digest('hex');
}

function canonical(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
	if (value && typeof value === 'object') {
		const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
			a < b ? -1 : a > b ? 1 : 0,
		);
		return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
	}
	return JSON.stringify(value) ?? 'null';
}
