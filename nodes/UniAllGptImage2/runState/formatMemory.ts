import type { RequestFormat } from '../helpers/contract';

/**
 * Which request format each UniAll endpoint was last seen to accept (keyed by normalised Base URL,
 * model and generation mode: transport/submit.ts formatMemoryKey), under
 * Request Format Auto. Nothing here waits: every row sends what is remembered (the UniAll format
 * while nothing is), and a row refused for its format falls back on its own (transport/submit.ts).
 * A refusal teaches at once, so rows that start after it send the other format: refused requests
 * per run stay at most the rows in flight, i.e. the concurrency.
 */
export class FormatMemory {
	private readonly byEndpoint = new Map<string, RequestFormat>();

	/** Base URLs are few (one per credential); the cap only bounds a process that sees many. */
	constructor(private readonly limit = 100) {}

	/** What a row sends first. */
	firstChoice(endpoint: string): RequestFormat {
		return this.byEndpoint.get(endpoint) ?? 'uniall';
	}

	recall(endpoint: string): RequestFormat | undefined {
		return this.byEndpoint.get(endpoint);
	}

	/** `format` was accepted (or is the only candidate left): rows starting from now send it. */
	learn(endpoint: string, format: RequestFormat): void {
		this.byEndpoint.delete(endpoint);
		this.byEndpoint.set(endpoint, format);
		if (this.byEndpoint.size > this.limit) {
			this.byEndpoint.delete(this.byEndpoint.keys().next().value as string);
		}
	}

	/** `format` was refused for its fields: the other one is the only candidate, and is returned. */
	refused(endpoint: string, format: RequestFormat): RequestFormat {
		const other: RequestFormat = format === 'uniall' ? 'openai' : 'uniall';
		this.learn(endpoint, other);
		return other;
	}

	/** Both formats were refused: whatever this row taught is wrong, so nothing is remembered. */
	forget(endpoint: string, format: RequestFormat): void {
		if (this.byEndpoint.get(endpoint) === format) this.byEndpoint.delete(endpoint);
	}

	clear(): void {
		this.byEndpoint.clear();
	}
}

/**
 * The memory of this n8n process. n8n loads a community node's modules once per process, so every
 * run of the node reads what earlier runs learned; in queue mode each worker learns on its own.
 */
export const requestFormats = new FormatMemory();
