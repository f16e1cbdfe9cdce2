import { sleep } from 'n8n-workflow';

import { useStandIn } from '../helpers/standIn';
import { credentialsFor } from '../helpers/credentials';
import { runNode } from '../../tools/n8n/inProcess.cjs';
import { textToImageParams } from '../helpers/parameters';

const api = useStandIn({ mode: 'async', latencyMs: 30 });

const rows = (n: number) =>
	Array.from({ length: n }, (_, i) => ({ json: { prompt: `row ${i + 1}` } }));
const generate = textToImageParams;

describe('budget guard (Max Cost per Execution)', () => {
	it('refuses rows that would pass the budget before submitting them, even with rows in parallel', async () => {
		const { items } = await runNode({
			credentials: credentialsFor(api.url),
			continueOnFail: true,
			items: rows(5),
			parameters: generate({ maxCostPerExecution: 0.05, concurrency: 5 }),
		});
		// 2 x $0.01836 = $0.03672 fits; a third would make $0.05508.
		expect(items.map((i) => (i.json.error ? 'refused' : 'image'))).toEqual([
			'image',
			'image',
			'refused',
			'refused',
			'refused',
		]);
		expect(items[2].json.error).toBe(
			'This row would cost $0.01836 and bring the spend of this execution to $0.05508, over the Max Cost per Execution of $0.05 [item 2]',
		);
		expect(api.count('generations')).toBe(2);
		expect(items.map((i) => i.pairedItem)).toEqual([0, 1, 2, 3, 4].map((item) => ({ item })));
		// The running total is on every image; the last one to finish carries the full spend.
		const totals = items.filter((i) => !i.json.error).map((i) => i.json.executionCost as number);
		expect(Math.max(...totals)).toBe(0.03672);
	});

	it('releases the reservation of a failed row so later rows can use it', async () => {
		const { items } = await runNode({
			credentials: credentialsFor(api.url),
			continueOnFail: true,
			items: [
				{ json: { prompt: 'bad [fail:policy]' } },
				{ json: { prompt: 'a' } },
				{ json: { prompt: 'b' } },
			],
			parameters: generate({ maxCostPerExecution: 0.04, concurrency: 1 }),
		});
		expect(items.map((i) => (i.json.error ? 'error' : 'image'))).toEqual([
			'error',
			'image',
			'image',
		]);
	});

	it('counts what earlier runs of this node spent in the same execution (loops)', async () => {
		const contextData = {};
		const first = await runNode({
			credentials: credentialsFor(api.url),
			items: rows(2),
			contextData,
			parameters: generate({ maxCostPerExecution: 0.05 }),
		});
		expect(first.error).toBeUndefined();
		const second = await runNode({
			credentials: credentialsFor(api.url),
			items: rows(1),
			contextData,
			parameters: generate({ maxCostPerExecution: 0.05 }),
		});
		expect(second.error?.message).toMatch(
			/^This row would cost \$0.01836 and bring the spend of this execution to \$0.05508.*\[item 0\]$/,
		);
	});
});

describe('submit now, fetch later', () => {
	it('returns the task at once when Wait for Completion is off, then Get Task returns status, then images', async () => {
		api.configure({ latencyMs: 700 });
		const submitted = await runNode({
			credentials: credentialsFor(api.url),
			items: rows(2),
			parameters: generate({ waitForCompletion: false }, { resolution: '2K', numImages: 2 }),
		});
		expect(submitted.error).toBeUndefined();
		expect(submitted.items).toHaveLength(2);
		for (const item of submitted.items) {
			expect(item.json).toMatchObject({
				status: 'queued',
				done: false,
				estimatedCost: 0.11152,
				currency: 'USD',
				resolution: '2K',
				imagesRequested: 2,
			});
			expect(item.json.taskId).toMatch(/^task_/);
			expect(item.binary).toBeUndefined();
		}
		expect(api.count('task')).toBe(0);

		const getTask = {
			operation: 'getTask',
			taskId: '={{ $json.taskId }}',
			resolution: '={{ $json.resolution }}',
		};
		const running = await runNode({
			credentials: credentialsFor(api.url),
			items: submitted.items.map((i) => ({ json: i.json })),
			parameters: getTask,
		});
		expect(running.items.map((i) => i.json)).toEqual([
			expect.objectContaining({
				done: false,
				status: expect.stringMatching(/queued|in_progress/),
				taskId: submitted.items[0].json.taskId,
			}),
			expect.objectContaining({ done: false, taskId: submitted.items[1].json.taskId }),
		]);
		expect(typeof running.items[0].json.progress).toBe('number');

		await sleep(800);
		const finished = await runNode({
			credentials: credentialsFor(api.url),
			items: submitted.items.map((i) => ({ json: i.json })),
			parameters: getTask,
		});
		expect(finished.items).toHaveLength(4);
		expect(
			finished.items.map((i) => [
				i.json.done,
				i.json.status,
				i.json.imageIndex,
				i.json.cost,
				i.pairedItem,
			]),
		).toEqual([
			[true, 'completed', 0, 0.05576, { item: 0 }],
			[true, 'completed', 1, 0.05576, { item: 0 }],
			[true, 'completed', 0, 0.05576, { item: 1 }],
			[true, 'completed', 1, 0.05576, { item: 1 }],
		]);
		expect(finished.items[0].json).toMatchObject({
			width: 1536,
			height: 1536,
			requestCost: 0.11152,
			operation: 'getTask',
		});
		expect(finished.items[0].binary?.data.mimeType).toBe('image/png');
		expect(api.count('generations')).toBe(2);
	});

	it('Get Task fills prompt, aspect ratio and mode when the answer names them, null when not', async () => {
		const submitted = await runNode({
			credentials: credentialsFor(api.url),
			items: [{ json: { prompt: 'a fox' } }],
			parameters: generate({ waitForCompletion: false }),
		});
		await sleep(800);
		const getTask = async () =>
			await runNode({
				credentials: credentialsFor(api.url),
				items: [{ json: submitted.items[0].json }],
				parameters: { operation: 'getTask', taskId: '={{ $json.taskId }}', resolution: '1K' },
			});
		const silent = await getTask();
		expect(silent.items[0].json).toMatchObject({
			prompt: null,
			aspectRatio: null,
			generationMode: null,
		});
		api.configure({
			extraAnswerFields: {
				input: { prompt: 'a fox', aspect_ratio: '4:5', generation_mode: 'text_to_image' },
			},
		});
		const told = await getTask();
		expect(told.items[0].json).toMatchObject({
			operation: 'getTask',
			prompt: 'a fox',
			aspectRatio: '4:5',
			generationMode: 'text_to_image',
		});
	});

	it('Get Task reports a failed task as an error for that row', async () => {
		const submitted = await runNode({
			credentials: credentialsFor(api.url),
			items: [{ json: { prompt: 'x [fail:task]' } }],
			parameters: generate({ waitForCompletion: false }),
		});
		await sleep(100);
		const { error } = await runNode({
			credentials: credentialsFor(api.url),
			items: [{ json: submitted.items[0].json }],
			parameters: { operation: 'getTask', taskId: '={{ $json.taskId }}', resolution: '1K' },
		});
		expect(error?.message).toMatch(
			/^The generation task task_\w+ failed: The image could not be generated\. \[item 0\]$/,
		);
	});

	it('Get Task explains an unknown task id and an empty one', async () => {
		const unknown = await runNode({
			credentials: credentialsFor(api.url),
			parameters: { operation: 'getTask', taskId: 'task_nope', resolution: '1K' },
		});
		expect(unknown.error?.message).toBe('UniAll could not find task task_nope (HTTP 404) [item 0]');
		const empty = await runNode({
			credentials: credentialsFor(api.url),
			parameters: { operation: 'getTask', taskId: ' ', resolution: '1K' },
		});
		expect(empty.error?.message).toBe(
			'Task ID is empty. Map it from the item that submitted the generation, e.g. {{ $json.taskId }} [item 0]',
		);
	});
});
