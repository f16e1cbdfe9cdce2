import type { IDataObject } from 'n8n-workflow';

import { addUsd } from './pricing';

/** What one row has to show for its money: item JSON of its images, lost images, an open task. */
export interface RowMoney {
	index: number;
	/** JSON of the row's output items (images, or a submitted task). */
	images: IDataObject[];
	/** Context of each image that was billed but not handed on. */
	lost?: IDataObject[];
	/** A task that was accepted but not finished (a timeout, a failed check). */
	openTaskId?: string;
}

const usd = (value: unknown) => (typeof value === 'number' ? value : 0);

/**
 * When the node fails as a whole, n8n drops every item, so rows that already finished (and were
 * paid for) would vanish from view. This lists them: image URLs or task IDs, and cost.
 * Returns undefined when nothing was paid for.
 */
export function describePaidFor(rows: RowMoney[]): string | undefined {
	let total = 0;
	const lines: string[] = [];
	for (const row of rows) {
		const parts: string[] = [];
		for (const json of row.images) {
			if (json.done === false && typeof json.taskId === 'string') {
				const cost = usd(json.estimatedCost);
				total = addUsd(total, cost);
				parts.push(
					`task ${json.taskId} (${cost ? `about $${cost}, ` : ''}not fetched yet: use Get Task)`,
				);
			} else if (typeof json.imageIndex === 'number') {
				const where =
					typeof json.imageUrl === 'string'
						? json.imageUrl
						: `inline image ${json.imageIndex + 1}, no URL`;
				// Get Task bills nothing: its images were paid for when they were generated.
				if (json.operation === 'getTask') {
					parts.push(`${where} (fetched by Get Task, not billed in this run)`);
					continue;
				}
				total = addUsd(total, usd(json.cost));
				parts.push(`${where} ($${usd(json.cost)})`);
			}
		}
		for (const lost of row.lost ?? []) {
			const where = typeof lost.imageUrl === 'string' ? lost.imageUrl : 'inline, no URL';
			const image = `image ${Number(lost.imageIndex) + 1} not handed on: ${where}`;
			if (lost.fetchedByGetTask === true) {
				parts.push(`${image} (Get Task, not billed in this run)`);
				continue;
			}
			total = addUsd(total, usd(lost.cost));
			parts.push(`${image} ($${usd(lost.cost)}, billed)`);
		}
		if (row.openTaskId)
			parts.push(`task ${row.openTaskId} may still complete and be billed: fetch it with Get Task`);
		if (parts.length > 0) lines.push(`Item ${row.index}: ${parts.join(', ')}`);
	}
	if (lines.length === 0) return undefined;
	const heading =
		total > 0
			? 'Already generated in this run and paid for'
			: 'Already fetched in this run (nothing billed by it)';
	return [
		`${heading} (not handed on, because the node failed; ` +
			'with Settings > On Error set to a Continue option, they come out as items):',
		...lines,
		`Total: $${total}`,
	].join('\n');
}
