import { createHash } from 'node:crypto';

/**
 * The same execution, node and row always give the same key, so a gateway that de-duplicates on
 * Idempotency-Key recognises a resent request as the one it already accepted.
 */
export function idempotencyKey(scope: string, itemIndex: number): string {
	return `n8n-uniall-${createHash('sha256').update(`${scope}:${itemIndex}`).digest('hex').slice(0, 40)}`;
}
