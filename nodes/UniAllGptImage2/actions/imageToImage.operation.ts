import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import type { RunContext } from '../runState/runContext';
import { generate } from './generate';
import {
	aspectRatioProperty,
	fourKNotice,
	generationOptions,
	numImagesProperty,
	promptProperty,
	referenceImagesProperty,
	resolutionWithPriceHint,
} from './shared.properties';

const properties: INodeProperties[] = [
	{
		...promptProperty,
		placeholder: 'e.g. The same product on a beach at sunset, keep the label readable',
	},
	referenceImagesProperty,
	aspectRatioProperty,
	resolutionWithPriceHint,
	fourKNotice,
	numImagesProperty,
	generationOptions(),
];

export const description = updateDisplayOptions(
	{ show: { operation: ['imageToImage'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	run: RunContext,
): Promise<INodeExecutionData[]> {
	return await generate.call(this, itemIndex, run, 'imageToImage');
}
