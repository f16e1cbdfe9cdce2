import { sniffImage } from '../../nodes/UniAllGptImage2/helpers/imageInfo';
import { imageSizeFor } from '../../tools/stand-in/server.cjs';
import { useStandIn } from '../helpers/standIn';
import { credentialsFor, TEST_API_KEY } from '../helpers/credentials';
import { textToImageParams } from '../helpers/parameters';
import { runNode } from '../../tools/n8n/inProcess.cjs';

const api = useStandIn({ mode: 'async', latencyMs: 50 });

describe('Text to Image in a real n8n execution', () => {
	it("puts the fields a user looks for first, so n8n's Table view shows them as its first columns", async () => {
		const { items, error } = await runNode({
			credentials: credentialsFor(api.url),
			parameters: textToImageParams({}, { prompt: 'row 1 a kettle' }),
			executionId: '4711',
		});
		expect(error).toBeUndefined();
		// The Table view takes its columns from the keys of the items n8n hands on, in their order.
		expect(Object.keys(items[0].json).slice(0, 5)).toEqual([
			'cost',
			'imageUrl',
			'width',
			'height',
			'fileName',
		]);
		expect(items[0].json).toMatchObject({ cost: 0.01836, width: 1024, height: 1024 });
		expect(items[0].json.fileName).toBe('gpt-image-2-4711-item0-0.png');
	});

	it.each(['async', 'sync-url', 'sync-b64'] as const)(
		'delivers binary images with size and cost (%s answers)',
		async (mode) => {
			api.setMode(mode);
			const { items, error, readBinary } = await runNode({
				credentials: credentialsFor(api.url),
				parameters: textToImageParams(
					{},
					{ prompt: 'row 3 a lighthouse', aspectRatio: '16:9', resolution: '2K', numImages: 2 },
				),
			});
			expect(error).toBeUndefined();
			expect(items).toHaveLength(2);
			const expected = imageSizeFor('16:9', '2K');
			for (const [index, item] of items.entries()) {
				expect(item.json).toMatchObject({
					model: 'gpt-image-2-origin',
					operation: 'textToImage',
					generationMode: 'text_to_image',
					prompt: 'row 3 a lighthouse',
					aspectRatio: '16:9',
					resolution: '2K',
					imageIndex: index,
					imagesRequested: 2,
					imagesDelivered: 2,
					width: expected.width,
					height: expected.height,
					mimeType: 'image/png',
					cost: 0.05576,
					currency: 'USD',
					requestCost: 0.11152,
				});
				expect(item.pairedItem).toEqual({ item: 0 });
				const bytes = await readBinary(item);
				expect(sniffImage(bytes)).toMatchObject(expected);
				expect(item.json.fileSize).toBe(bytes.length);
				expect(item.binary?.data.mimeType).toBe('image/png');
				expect(item.binary?.data.fileName).toMatch(
					new RegExp(`^gpt-image-2-exec-\\d+-item0-${index}\\.png$`),
				);
				if (mode === 'sync-b64') {
					expect(item.json.imageUrl).toBeNull();
				} else {
					expect(bytes.equals(api.fileBytes(item.json.imageUrl as string) as Buffer)).toBe(true);
				}
				if (mode === 'async') expect(item.json.taskId).toMatch(/^task_/);
			}

			// What UniAll received: exactly the contract body, with the key, once.
			const posts = api.log.filter((e) => e.route === 'generations');
			expect(posts).toHaveLength(1);
			expect(posts[0].body).toEqual({
				model: 'gpt-image-2-origin',
				generation_mode: 'text_to_image',
				prompt: 'row 3 a lighthouse',
				aspect_ratio: '16:9',
				resolution: '2K',
				num_images: 2,
			});
			expect(posts[0].authorized).toBe(true);
			expect(posts[0].idempotencyKey).toMatch(/^n8n-uniall-[0-9a-f]{40}$/);
			// Image downloads never carry the key.
			for (const download of api.log.filter((e) => e.route === 'image'))
				expect(download.headers.authorization).toBeUndefined();
		},
	);

	it('runs many rows with prompt and settings from expressions, in input order', async () => {
		const rows = [
			{ product: 'mug', ratio: '1:1', res: '1K' },
			{ product: 'lamp', ratio: '9:16', res: '2K' },
			{ product: 'chair', ratio: '4:5', res: '4K' },
		];
		const { items, error } = await runNode({
			credentials: credentialsFor(api.url),
			items: rows.map((json) => ({ json })),
			parameters: textToImageParams(
				{},
				{
					prompt: '=A studio photo of a {{ $json.product }}',
					aspectRatio: '={{ $json.ratio }}',
					resolution: '={{ $json.res }}',
				},
			),
		});
		expect(error).toBeUndefined();
		expect(
			items.map((i) => [
				i.json.prompt,
				i.json.aspectRatio,
				i.json.resolution,
				i.json.cost,
				i.pairedItem,
			]),
		).toEqual([
			['A studio photo of a mug', '1:1', '1K', 0.01836, { item: 0 }],
			['A studio photo of a lamp', '9:16', '2K', 0.05576, { item: 1 }],
			['A studio photo of a chair', '4:5', '4K', 0.11424, { item: 2 }],
		]);
		expect(items.map((i) => [i.json.width, i.json.height])).toEqual(
			rows.map((r) => Object.values(imageSizeFor(r.ratio as '1:1', r.res as '1K'))),
		);
		expect(api.count('generations', { accepted: true })).toBe(3);
		expect(
			new Set(api.log.filter((e) => e.route === 'generations').map((e) => e.idempotencyKey)).size,
		).toBe(3);
	});

	it('returns URLs only when Download Images is off', async () => {
		api.setMode('sync-url');
		const { items } = await runNode({
			credentials: credentialsFor(api.url),
			parameters: textToImageParams({ downloadImages: false }, { prompt: 'x' }),
		});
		expect(items[0].binary).toBeUndefined();
		expect(items[0].json.imageUrl).toMatch(/\/files\/.+\.png$/);
		expect(items[0].json.cost).toBe(0.01836);
		expect(api.count('image')).toBe(0);
	});

	it('puts the image in the binary field the user chose', async () => {
		api.setMode('sync-b64');
		const { items } = await runNode({
			credentials: credentialsFor(api.url),
			parameters: textToImageParams({ binaryPropertyName: 'picture' }, { prompt: 'x' }),
		});
		expect(Object.keys(items[0].binary ?? {})).toEqual(['picture']);
	});

	it.each(['result.images', 'data', 'images', 'output', 'image_url'] as const)(
		'accepts task results in %s',
		async (resultShape) => {
			api.configure({ resultShape });
			const { items, error } = await runNode({
				credentials: credentialsFor(api.url),
				parameters: textToImageParams({}, { prompt: 'x', aspectRatio: '3:2' }),
			});
			expect(error).toBeUndefined();
			expect(items[0].json).toMatchObject({ width: 1536, height: 1024, imagesDelivered: 1 });
		},
	);

	it('bills only delivered images when fewer come back, and says so', async () => {
		const { items } = await runNode({
			credentials: credentialsFor(api.url),
			parameters: textToImageParams(
				{},
				{ prompt: 'two please [deliver:1]', resolution: '2K', numImages: 2 },
			),
		});
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({
			imagesRequested: 2,
			imagesDelivered: 1,
			cost: 0.05576,
			requestCost: 0.05576,
			partial: true,
		});
		expect(items[0].json.notice).toMatch(/delivered 1 of 2/);
	});

	it('prefers a cost the API reports', async () => {
		api.setMode('sync-url');
		api.configure({ extraAnswerFields: { usage: { cost: 0.03 } } });
		const { items } = await runNode({
			credentials: credentialsFor(api.url),
			parameters: textToImageParams({}, { prompt: 'x', numImages: 2 }),
		});
		expect(items.map((i) => i.json.cost)).toEqual([0.015, 0.015]);
		expect(items[0].json.requestCost).toBe(0.03);
	});

	it('tolerates a Base URL pasted with /v1/', async () => {
		api.setMode('sync-url');
		const { error } = await runNode({
			credentials: credentialsFor(`${api.url}/v1/`),
			parameters: textToImageParams({}, { prompt: 'x' }),
		});
		expect(error).toBeUndefined();
		expect(api.log.find((e) => e.route === 'generations')?.path).toBe('/v1/images/generations');
	});

	it('a bad key fails with a clear message that never contains the key', async () => {
		// Made up per run, so the assertion below proves nothing leaks rather than matching a constant.
		const wrongKey = `wrong-${Date.now().toString(36)}-do-not-print`;
		const { error, run } = await runNode({
			credentials: credentialsFor(api.url, wrongKey),
			parameters: textToImageParams({}, { prompt: 'x' }),
		});
		expect(error?.message).toBe('UniAll rejected the API key (HTTP 401) [item 0]');
		expect(error?.description).toMatch(/Check the API key in the UniAll AI API credential/);
		expect(JSON.stringify(run)).not.toContain(wrongKey);
		expect(JSON.stringify(error, Object.getOwnPropertyNames(error))).not.toContain(wrongKey);
		expect(api.count('generations')).toBe(1);
		expect(api.log[0].headers.authorization).toBe(`Bearer ${wrongKey}`);
		expect(TEST_API_KEY).not.toBe(wrongKey);
	});

	it('a prompt expression that finds no field on a row fails that row, naming it, unbilled', async () => {
		const { items } = await runNode({
			credentials: credentialsFor(api.url),
			parameters: textToImageParams({}, { prompt: '={{ $json.product }}' }),
			items: [{ json: { product: 'a kettle' } }, { json: { title: 'no product here' } }],
			continueOnFail: true,
		});
		expect(items[0].json.prompt).toBe('a kettle');
		expect(items[1].json.error).toMatch(
			/^Prompt: the expression found no value on this item .* \[item 1\]$/,
		);
		expect(String(items[1].json.error)).not.toMatch(/String\(/);
		expect(api.count('generations')).toBe(1);
	});

	it('names files apart across executions, and by the File Name option per row', async () => {
		const first = await runNode({
			credentials: credentialsFor(api.url),
			parameters: textToImageParams({}, { prompt: 'a kettle' }),
		});
		const second = await runNode({
			credentials: credentialsFor(api.url),
			parameters: textToImageParams({}, { prompt: 'a kettle' }),
		});
		expect(first.items[0].binary?.data.fileName).not.toBe(second.items[0].binary?.data.fileName);

		const { items } = await runNode({
			credentials: credentialsFor(api.url),
			parameters: textToImageParams(
				{ fileName: '={{ $json.sku }}-poster' },
				{ numImages: '={{ $json.n }}' },
			),
			items: [
				{ json: { prompt: 'a mug', sku: 'MUG-1', n: 1 } },
				{ json: { prompt: 'a cup', sku: 'CUP-2', n: 2 } },
			],
		});
		expect(items.map((i) => [i.json.fileName, i.binary?.data.fileName])).toEqual([
			['MUG-1-poster.png', 'MUG-1-poster.png'],
			['CUP-2-poster-0.png', 'CUP-2-poster-0.png'],
			['CUP-2-poster-1.png', 'CUP-2-poster-1.png'],
		]);
	});
});
