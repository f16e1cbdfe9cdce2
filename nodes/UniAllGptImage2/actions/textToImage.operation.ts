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
	resolutionWithPriceHint,
} from './shared.properties';

const properties: INodeProperties[] = [
	promptProperty,
	aspectRatioProperty,
	resolutionWithPriceHint,
	fourKNotice,
	numImagesProperty,
	generationOptions(),
];

export const description = updateDisplayOptions(
	{ show: { operation: ['textToImage'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	run: RunContext,
): Promise<INodeExecutionData[]> {
	return await generate.call(this, itemIndex, run, 'textToImage');
}
