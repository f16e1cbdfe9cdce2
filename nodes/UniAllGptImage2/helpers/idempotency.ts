import { createHash } from 'node:crypto';

/**
 * The Idempotency-Key of one submission: a hash of where it comes from (execution, node, run of
 * the node, row) and of exactly what it asks for (the request body). So:
 * - a resend of the same request (after a 429, a 503 or a refused connection) repeats the key;
 * - every other submission gets its own: another row, another run of the node in the same
 *   execution (Loop Over Items batches, AI Agent tool calls have their own run index), another
 *   body (a changed prompt, the other request format);
 * - n8n running the same execution again (a queue job picked up anew, a node's Retry On Fail)
 *   repeats the key, so a gateway that honours keys answers the job it already made instead of
 *   billing a second one.
 */
export function idempotencyKey(scope: string, body: Record<string, unknown>): string {
	const hash = createHash('sha256').update(scope);
	// Field by field, so multi-megabyte data: URLs are hashed without building one more copy.
	for (const field of Object.keys(body).sort()) {
		const value = body[field];
		hash.update(`\0${field}\0`);
		if (Array.isArray(value)) for (const entry of value) hash.update(`${typeof entry === 'string' ? entry : JSON.stringify(entry)}\0`);
		else hash.update(typeof value === 'string' ? value : JSON.stringify(value ?? null));
	}
	return `n8n-uniall-${hash.digest('hex').slice(0, 40)}`;
}
