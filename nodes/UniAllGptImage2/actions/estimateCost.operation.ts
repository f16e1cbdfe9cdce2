import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { estimateBesideRow, estimateJson } from '../helpers/output';
import { addUsd, pricePerImage, requestCost } from '../helpers/pricing';
import { validateNumImages, validateResolution } from '../helpers/request';
import type { RunContext } from '../runState/runContext';
import { numImagesProperty, resolutionWithPriceHint } from './shared.properties';

const properties: INodeProperties[] = [
	{
		displayName:
			'Computes what a generation with these settings would cost, without calling UniAll. ' +
			'Each item keeps its input fields and files and gets the estimate beside them ' +
			'(cost = the whole row), so an IF node after it can approve and a generating node ' +
			'after the IF can read {{ $json.prompt }} as before.',
		name: 'estimateNotice',
		type: 'notice',
		default: '',
	},
	resolutionWithPriceHint,
	numImagesProperty,
];

export const description = updateDisplayOptions(
	{ show: { operation: ['estimateCost'] } },
	properties,
);

/** Estimates of the rows so far, per node run (Estimate Cost runs its rows one after another). */
const estimatedSoFar = new WeakMap<RunContext, number>();

/** Free and offline: the same price module as a real run, so estimate and bill always agree. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	run: RunContext,
): Promise<INodeExecutionData[]> {
	const resolution = validateResolution(this.getNodeParameter('resolution', itemIndex));
	const numImages = validateNumImages(this.getNodeParameter('numImages', itemIndex));
	const cost = pricePerImage(resolution);
	const total = requestCost(resolution, numImages);
	// What this execution has spent so far, plus every row estimated up to and including this one.
	const runningTotal = addUsd(estimatedSoFar.get(run) ?? run.budget.spent, total);
	estimatedSoFar.set(run, runningTotal);
	const row = this.getInputData()[itemIndex];
	return [
		{
			json: estimateBesideRow(
				row.json,
				estimateJson(resolution, numImages, cost, total, runningTotal),
			),
			// The row's files too: the generating node after the IF may need its reference images.
			...(row.binary ? { binary: row.binary } : {}),
			pairedItem: { item: itemIndex },
		},
	];
}
