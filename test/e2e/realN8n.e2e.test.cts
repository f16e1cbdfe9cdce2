/**
 * The packed package, installed into a real n8n as a user would, running workflows headless
 * (`n8n execute`) against the local UniAll stand-in. Asserts on what n8n produced (files on disk,
 * item JSON, pairedItem) and on what the stand-in received.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { sniffImage } from '../../nodes/UniAllGptImage2/helpers/imageInfo';
import { freePort } from '../../tools/n8n/instance.cjs';
import { ownerCookie, setUpOwner } from '../../tools/n8n/owner.cjs';
import { imageSizeFor } from '../../tools/stand-in/server.cjs';
import { useRealN8n } from './realN8nSession.cjs';
import { hostileServer } from '../helpers/hostileServer.cjs';
import { png } from '../helpers/imageBytes.cjs';
import { imageToImageParams, POLL_SECONDS } from '../helpers/parameters';
import {
	csvToUniAllWorkflow,
	readFile,
	rowTextToImage,
	trigger,
	uniall,
	wait,
	workflow,
	writeImages,
} from './workflows.cjs';

const session = useRealN8n();
const { good, bad, wrongKey, csv, outDir, runWorkflow } = session;

const opts = { pollInterval: POLL_SECONDS };

describe('the package inside a real n8n', () => {
	it('Text to Image over spreadsheet rows: binary files on disk, sizes, cost, pairedItem', async () => {
		const rows = csv('t2i', 'product,ratio', ['mug,1:1', 'lamp,16:9', 'chair,9:16']);
		const dir = outDir('t2i');
		const parameters = rowTextToImage(opts, {
			prompt: '=Photo of a {{ $json.product }}',
			aspectRatio: '={{ $json.ratio }}',
		});
		const result = await runWorkflow(
			csvToUniAllWorkflow('e2e text to image', {
				csvPath: rows,
				parameters,
				credential: good,
				write: { dir },
			}),
		);
		expect(result.error).toBeUndefined();
		const items = result.items('UniAll GPT Image-2');
		expect(
			items.map((i) => [i.json.prompt, i.json.width, i.json.height, i.json.cost, i.pairedItem]),
		).toEqual([
			['Photo of a mug', 1024, 1024, 0.01836, { item: 0 }],
			['Photo of a lamp', ...Object.values(imageSizeFor('16:9', '1K')), 0.01836, { item: 1 }],
			['Photo of a chair', ...Object.values(imageSizeFor('9:16', '1K')), 0.01836, { item: 2 }],
		]);
		// The files n8n wrote are byte for byte what UniAll served.
		for (const [i, item] of items.entries()) {
			const bytes = readFileSync(path.join(dir, `item-${i}.png`));
			expect(bytes.equals(session.api.fileBytes(String(item.json.imageUrl)) as Buffer)).toBe(true);
			expect(sniffImage(bytes)).toMatchObject({ width: item.json.width, height: item.json.height });
		}
		// Exactly one POST per row; the answers were tasks, polled until done.
		expect(session.api.count('generations')).toBe(3);
		expect(session.api.count('generations', { accepted: true })).toBe(3);
		expect(session.api.count('task')).toBeGreaterThanOrEqual(3);
		expect(session.api.count('image')).toBe(3);
		expect(items.map((i) => [i.json.requestCost, i.binary?.data?.mimeType])).toEqual(
			Array(3).fill([0.01836, 'image/png']),
		);
	});

	it('synchronous base64 answers', async () => {
		session.api.setMode('sync-b64');
		const dir = outDir('b64');
		const result = await runWorkflow(
			workflow('e2e base64', [
				trigger(),
				uniall(
					{
						operation: 'textToImage',
						prompt: 'a fox',
						aspectRatio: '4:3',
						resolution: '2K',
						numImages: 2,
					},
					good,
				),
				writeImages(dir),
			]),
		);
		expect(result.error).toBeUndefined();
		expect(readdirSync(dir).sort()).toEqual(['item-0.png', 'item-1.png']);
		const size = imageSizeFor('4:3', '2K');
		for (const file of readdirSync(dir))
			expect(sniffImage(readFileSync(path.join(dir, file)))).toMatchObject(size);
		const items = result.items('UniAll GPT Image-2');
		expect(
			items.map((i) => [
				i.json.imageIndex,
				i.json.cost,
				i.json.requestCost,
				i.json.width,
				i.json.height,
				i.pairedItem,
			]),
		).toEqual([
			[0, 0.05576, 0.11152, size.width, size.height, { item: 0 }],
			[1, 0.05576, 0.11152, size.width, size.height, { item: 0 }],
		]);
		// One POST for the row's two images, nothing to download.
		expect(session.api.count('generations')).toBe(1);
		expect(session.api.count('image')).toBe(0);
	});

	it('Image to Image with a binary reference from the previous node and a URL reference', async () => {
		session.api.setMode('sync-url');
		const photo = png(120, 80, 90);
		const photoFile = path.join(session.work, 'product.png');
		writeFileSync(photoFile, photo);
		const dir = outDir('i2i');
		const result = await runWorkflow(
			workflow('e2e image to image', [
				trigger(),
				readFile(photoFile, 'Product Photo'),
				uniall(imageToImageParams(), good),
				writeImages(dir),
			]),
		);
		expect(result.error).toBeUndefined();
		const body = session.api.log.find((e) => e.route === 'generations')?.body as {
			image_url: string[];
			generation_mode: string;
		};
		expect(body.generation_mode).toBe('image_to_image');
		expect(body.image_url).toEqual([
			`data:image/png;base64,${photo.toString('base64')}`,
			'https://cdn.example.com/style.jpg',
		]);
		expect(session.api.count('generations')).toBe(1);
		expect(readdirSync(dir)).toEqual(['item-0.png']);
		const [item] = result.items('UniAll GPT Image-2');
		expect(item.json).toMatchObject({
			operation: 'imageToImage',
			generationMode: 'image_to_image',
			width: 1024,
			height: 1024,
			cost: 0.01836,
		});
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(
			readFileSync(path.join(dir, 'item-0.png')).equals(
				session.api.fileBytes(String(item.json.imageUrl)) as Buffer,
			),
		).toBe(true);
	});

	it('Continue On Fail: the failing row becomes an error item, the other rows still get images', async () => {
		const rows = csv('cof', 'prompt', ['row one', 'row two [fail:policy]', 'row three']);
		const result = await runWorkflow(
			csvToUniAllWorkflow('e2e continue on fail', {
				csvPath: rows,
				parameters: rowTextToImage(opts),
				credential: good,
				uniall: { onError: 'continueRegularOutput' },
			}),
		);
		expect(result.error).toBeUndefined();
		const items = result.items('UniAll GPT Image-2');
		expect(items.map((i) => i.json.error ?? i.json.prompt)).toEqual([
			'row one',
			"The prompt was rejected by UniAll's content policy [item 1]",
			'row three',
		]);
		expect(items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect([
			Boolean(items[0].binary?.data),
			Boolean(items[1].binary),
			Boolean(items[2].binary?.data),
		]).toEqual([true, false, true]);
		expect(items.map((i) => i.json.cost ?? null)).toEqual([0.01836, null, 0.01836]);
		// One POST per row, the rejected one included, and no retry of the rejected one.
		expect(session.api.count('generations')).toBe(3);
		expect(session.api.count('generations', { accepted: true })).toBe(2);
	});

	it('a wrong key fails the execution with a clear message that never shows the key', async () => {
		const result = await runWorkflow(
			workflow('e2e bad key', [
				trigger(),
				uniall(
					{
						operation: 'textToImage',
						prompt: 'x',
						aspectRatio: '1:1',
						resolution: '1K',
						numImages: 1,
					},
					bad,
				),
			]),
		);
		expect(result.ok).toBe(false);
		expect(result.error?.message).toBe('UniAll rejected the API key (HTTP 401) [item 0]');
		expect(result.output).not.toContain(wrongKey);
		expect(session.api.log[0].headers.authorization).toBe(`Bearer ${wrongKey}`);
	});

	it('submit now, fetch later: Wait for Completion off -> Wait node -> Get Task', async () => {
		session.api.configure({ latencyMs: 600 });
		const dir = outDir('later');
		const result = await runWorkflow(
			workflow('e2e submit and fetch later', [
				trigger(),
				uniall(
					{
						operation: 'textToImage',
						prompt: 'later',
						aspectRatio: '1:1',
						resolution: '2K',
						numImages: 1,
						options: { waitForCompletion: false },
					},
					good,
					{ name: 'Submit' },
				),
				wait(2),
				uniall(
					{
						operation: 'getTask',
						taskId: '={{ $json.taskId }}',
						resolution: '={{ $json.resolution }}',
					},
					good,
					{ name: 'Get Task' },
				),
				writeImages(dir),
			]),
		);
		expect(result.error).toBeUndefined();
		const submitted = result.items('Submit')[0].json;
		expect(submitted).toMatchObject({ done: false, estimatedCost: 0.05576 });
		const fetched = result.items('Get Task')[0].json;
		expect(fetched).toMatchObject({
			done: true,
			status: 'completed',
			taskId: submitted.taskId,
			...imageSizeFor('1:1', '2K'),
			cost: 0.05576,
		});
		expect(readdirSync(dir)).toEqual(['item-0.png']);
		expect(session.api.count('generations')).toBe(1);
	});

	it('faults injected on every route are survived with exactly one accepted job per row', async () => {
		session.api.inject({ route: 'generations', kind: 'status', status: 429, retryAfter: 1 });
		session.api.inject({ route: 'generations', kind: 'status', status: 503, retryAfter: 0 });
		session.api.inject({ route: 'task', kind: 'status', status: 502 });
		session.api.inject({ route: 'task', kind: 'drop' });
		session.api.inject({ route: 'image', kind: 'status', status: 504 });
		const rows = csv('faults', 'prompt', ['one', 'two', 'three']);
		const result = await runWorkflow(
			csvToUniAllWorkflow('e2e faults', {
				csvPath: rows,
				parameters: rowTextToImage({ ...opts, maxRetries: 3 }),
				credential: good,
			}),
		);
		expect(result.error).toBeUndefined();
		expect(result.items('UniAll GPT Image-2').map((i) => i.json.prompt)).toEqual([
			'one',
			'two',
			'three',
		]);
		expect(session.api.count('generations', { accepted: true })).toBe(3);
		const keys = session.api.log
			.filter((e) => e.route === 'generations' && e.accepted)
			.map((e) => e.idempotencyKey);
		expect(new Set(keys).size).toBe(3);
	});

	it('every example workflow imports into n8n, uses only nodes this n8n has, and the Get Task loop runs', async () => {
		const examplesDir = path.join(__dirname, '..', '..', 'examples');
		const baseNodes = path.join(
			session.n8n.runtime.dir,
			'node_modules',
			'n8n-nodes-base',
			'dist',
			'nodes',
		);
		const known = new Set<string>();
		const walk = (dir: string) => {
			for (const entry of readdirSync(dir, { withFileTypes: true })) {
				const full = path.join(dir, entry.name);
				if (entry.isDirectory()) walk(full);
				else if (entry.name.endsWith('.node.js'))
					for (const m of readFileSync(full, 'utf8').matchAll(/name: '([A-Za-z0-9]+)'/g))
						known.add(`n8n-nodes-base.${m[1]}`);
			}
		};
		walk(baseNodes);
		const files = readdirSync(examplesDir).filter((f) => f.endsWith('.json'));
		expect(files).toHaveLength(5);
		for (const file of files) {
			const example = JSON.parse(readFileSync(path.join(examplesDir, file), 'utf8'));
			for (const node of example.nodes) {
				if (node.type !== 'n8n-nodes-uniall.uniAllGptImage2')
					expect([file, known.has(node.type)]).toEqual([file, true]);
			}
			await session.n8n.importWorkflow(example);
		}
		await session.n8n.importCredentials([
			{
				id: 'uniallStandIn001',
				name: 'UniAll (local stand-in)',
				type: 'uniAllApi',
				data: { apiKey: 'test-uniall-key', baseUrl: session.api.url },
			},
		]);
		session.api.configure({ latencyMs: 7000 });
		const loop = await session.n8n.execute('uniallExample004');
		expect(loop.error).toBeUndefined();
		const ready = loop.items('Image Ready');
		expect(ready).toHaveLength(1);
		// The example asks for 3:2 at 4K: the documented 3504x2336.
		expect(ready[0].json).toMatchObject({ done: true, width: 3504, height: 2336, cost: 0.11424 });
		// It went round the loop at least once before the task was done.
		expect(loop.runData['Get Task'].length).toBeGreaterThanOrEqual(2);
		expect(session.api.count('generations')).toBe(1);
	});

	it("the credential's Test button checks the key on /v1/models, with or without /v1 in the Base URL, and follows no redirect with the key", async () => {
		const port = await freePort();
		const editor = await session.n8n.start(port);
		try {
			await setUpOwner(port, { fresh: true });
			const cookie = await ownerCookie(port);
			const test = async (baseUrl: string, apiKey: string) => {
				const res = await fetch(`http://127.0.0.1:${port}/rest/credentials/test`, {
					method: 'POST',
					headers: { 'Content-Type': 'application/json', cookie },
					body: JSON.stringify({
						credentials: { ...good, type: 'uniAllApi', data: { apiKey, baseUrl } },
					}),
				});
				return ((await res.json()) as { data: { status: string } }).data.status;
			};
			session.api.reset();
			expect(await test(session.api.url, 'test-uniall-key')).toBe('OK');
			expect(await test(`${session.api.url}/v1/`, 'test-uniall-key')).toBe('OK');
			expect(await test(session.api.url, wrongKey)).toBe('Error');
			// Only the free models route is ever called (n8n may repeat the call once after a 401).
			expect(session.api.log.length).toBeGreaterThanOrEqual(3);
			expect(new Set(session.api.log.map((e) => `${e.method} ${e.path}`))).toEqual(
				new Set(['GET /v1/models']),
			);

			// A Base URL that answers 302 to another host (the stand-in, another origin): n8n
			// would follow it and put the key back on by default. Nothing reaches that host.
			const redirecting = await hostileServer((req, res) => {
				res.writeHead(302, { Location: `${session.api.url}${req.path}` });
				res.end();
			});
			try {
				session.api.reset();
				const res = await fetch(`http://127.0.0.1:${port}/rest/credentials/test`, {
					method: 'POST',
					headers: { 'Content-Type': 'application/json', cookie },
					body: JSON.stringify({
						credentials: {
							...good,
							type: 'uniAllApi',
							data: { apiKey: 'test-uniall-key', baseUrl: redirecting.url },
						},
					}),
				});
				const { data } = (await res.json()) as { data: { status: string; message: string } };
				expect(data.status).toBe('Error');
				// n8n 2.8.4 says "Request failed with status code 302", 2.41.1 the status text "Found".
				expect(data.message).toMatch(/302|Found/);
				expect(redirecting.log.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /v1/models']);
				expect(redirecting.log[0].headers.authorization).toBe('Bearer test-uniall-key');
				expect(session.api.log).toEqual([]);
			} finally {
				await redirecting.close();
			}
		} finally {
			await editor.stop();
		}
	});
});
