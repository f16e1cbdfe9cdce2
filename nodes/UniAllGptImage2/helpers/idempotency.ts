import { randomBytes } from 'node:crypto';

/**
 * A fresh key for every submission. The transport resends the same request (after a 429, a 503 or a
 * refused connection) with the key it was given, so only a resend of the same body repeats a key.
 * Anything derived from execution, node and row would repeat in Loop Over Items batches, AI Agent
 * tool calls and reruns of the node, where the same row index carries a different prompt.
 */
export function idempotencyKey(): string {
	return `n8n-uniall-${randomBytes(20).toString('hex')}`;
}
