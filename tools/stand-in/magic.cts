/**
 * Magic prompt markers: per-row behaviour inside one multi-row run, where a fault queue (which
 * hits whichever request comes next) cannot pick the row. Documented in README.md.
 */
export interface PromptMagic {
	/** `[fail:policy]`: the POST is refused with 400 content_policy_violation. */
	failPolicy: boolean;
	/** `[fail:task]`: the job fails (async: task ends `failed`; sync: HTTP 500 generation_failed). */
	failTask: boolean;
	/** `[deliver:N]`: at most N images are delivered. */
	deliver?: number;
	/** `[slow:MS]`: extra generation latency for this request. */
	slowMs: number;
	/** `row N` anywhere in the prompt: the number drawn on the image (else the request number). */
	row?: number;
}

export function readPromptMagic(prompt: string): PromptMagic {
	const deliver = /\[deliver:(\d+)\]/i.exec(prompt)?.[1];
	const slow = /\[slow:(\d+)\]/i.exec(prompt)?.[1];
	const row = /\brow\s*#?\s*(\d+)/i.exec(prompt)?.[1];
	return {
		failPolicy: /\[fail:policy\]/i.test(prompt),
		failTask: /\[fail:task\]/i.test(prompt),
		deliver: deliver === undefined ? undefined : Number(deliver),
		slowMs: slow === undefined ? 0 : Number(slow),
		row: row === undefined ? undefined : Number(row),
	};
}
