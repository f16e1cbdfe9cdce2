import { useStandIn } from '../helpers/standIn';
import { credentialsFor } from '../helpers/credentials';
import { textToImageParams } from '../helpers/parameters';
import { runNode } from '../../tools/n8n/inProcess.cjs';

/** Answer shapes gateways use for tasks: a POST answer wrapped in `data`, and answers echoing the references. */
const api = useStandIn({ mode: 'async', latencyMs: 100 });

const textToImage = textToImageParams;
const imageToImage = (reference: string) => ({
	...textToImage(),
	operation: 'imageToImage',
	referenceImages: { image: [{ source: 'url', url: reference }] },
});

/** A real image the stand-in serves, used as a reference that the answers echo back. */
async function referenceUrl(): Promise<string> {
	const { items } = await runNode({
		credentials: credentialsFor(api.url),
		items: [{ json: { prompt: 'reference' } }],
		parameters: textToImage({ downloadImages: false }),
	});
	return String(items[0].json.imageUrl);
}

describe('answers wrapped in data', () => {
	it('a POST answer {"data":{"task_id","status":"queued"}} is polled and its images delivered and billed once', async () => {
		api.configure({ wrapInData: true });
		const { items, error } = await runNode({
			credentials: credentialsFor(api.url),
			items: [{ json: { prompt: 'a fox' } }],
			parameters: textToImage(),
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({
			prompt: 'a fox',
			taskId: api.log[0].taskId,
			width: 1024,
			height: 1024,
			cost: 0.01836,
			executionCost: 0.01836,
		});
		expect(items[0].binary?.data).toBeDefined();
		expect(api.count('task')).toBeGreaterThanOrEqual(1);
		expect(api.count('generations')).toBe(1);
	});

	it('with Wait for Completion off, the wrapped task is handed on to fetch later', async () => {
		api.configure({ wrapInData: true });
		const { items, error } = await runNode({
			credentials: credentialsFor(api.url),
			items: [{ json: { prompt: 'a fox' } }],
			parameters: textToImage({ waitForCompletion: false }),
		});
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({
			taskId: api.log[0].taskId,
			status: 'queued',
			done: false,
		});
	});
});

describe('a status wins over image URLs in the answer', () => {
	it('a queued answer that echoes the reference image_url is polled; the reference is neither downloaded nor billed', async () => {
		const reference = await referenceUrl();
		api.configure({ echoImageUrls: true });
		const before = api.log.length;
		const { items, error } = await runNode({
			credentials: credentialsFor(api.url),
			items: [{ json: { prompt: 'on a beach' } }],
			parameters: imageToImage(reference),
		});
		expect(error).toBeUndefined();
		const log = api.log.slice(before);
		expect(log.find((e) => e.route === 'generations')?.body).toMatchObject({
			image_url: [reference],
		});
		expect(items).toHaveLength(1);
		expect(items[0].json.imageUrl).not.toBe(reference);
		expect(items[0].json).toMatchObject({
			imagesDelivered: 1,
			cost: 0.01836,
			requestCost: 0.01836,
		});
		expect(log.filter((e) => e.route === 'image').map((e) => `${api.url}${e.path}`)).toEqual([
			items[0].json.imageUrl,
		]);
		expect(log.filter((e) => e.route === 'task').length).toBeGreaterThanOrEqual(1);
	});

	it('a failed task that echoes the references is a failure, with nothing downloaded or billed', async () => {
		const reference = await referenceUrl();
		api.configure({ echoImageUrls: true });
		const before = api.log.length;
		const { items } = await runNode({
			credentials: credentialsFor(api.url),
			continueOnFail: true,
			items: [{ json: { prompt: 'on a beach [fail:task]' } }],
			parameters: imageToImage(reference),
		});
		expect(items).toHaveLength(1);
		expect(items[0].json.error).toMatch(
			/^The generation task task_\w+ failed: The image could not be generated\. \[item 0\]$/,
		);
		expect(items[0].json.cost).toBeUndefined();
		expect(api.log.slice(before).filter((e) => e.route === 'image')).toEqual([]);
	});
});
