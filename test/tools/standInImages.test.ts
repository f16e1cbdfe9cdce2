import { sleep } from 'n8n-workflow';

import {
	ASPECT_RATIOS,
	DOCUMENTED_SIZES,
	RESOLUTIONS,
	type AspectRatio,
	type Resolution,
} from '../../nodes/UniAllGptImage2/helpers/contract';
import { ImageStore } from '../../tools/stand-in/images.cjs';
import { imageSizeFor } from '../../tools/stand-in/server.cjs';
import { parseSize } from '../../tools/stand-in/sizes.cjs';
import { useStandIn } from '../helpers/standIn';
import { checkPng } from './pngCheck';
import { AUTH, download, pollTask, postGeneration, validRequest } from './standInClient';

/** The images are real PNGs of the documented sizes, served without auth, and cheap to make. */
const api = useStandIn({ mode: 'sync-url', latencyMs: 0 });

async function generateUrls(body: Record<string, unknown>): Promise<string[]> {
	const { json } = await postGeneration(api.url, { ...validRequest, ...body });
	return (json.data as Array<{ url: string }>).map((d) => d.url);
}

describe('imageSizeFor', () => {
	const cells = RESOLUTIONS.flatMap((resolution) =>
		ASPECT_RATIOS.map((ratio) => [ratio, resolution] as [AspectRatio, Resolution]),
	);

	it('is the first size the docs list, taken from the contract table', () => {
		expect(imageSizeFor('1:1', '1K')).toEqual({ width: 1024, height: 1024 });
		expect(imageSizeFor('4:3', '1K')).toEqual({ width: 1024, height: 768 });
		expect(imageSizeFor('4:5', '1K')).toEqual({ width: 1024, height: 1280 });
		expect(imageSizeFor('1:1', '2K')).toEqual({ width: 1536, height: 1536 });
		expect(imageSizeFor('3:2', '2K')).toEqual({ width: 2048, height: 1360 });
		expect(imageSizeFor('16:9', '2K')).toEqual({ width: 1920, height: 1080 });
		expect(imageSizeFor('16:9', '4K')).toEqual({ width: 3840, height: 2160 });
		expect(imageSizeFor('1:1', '4K')).toEqual({ width: 2048, height: 2048 });
		for (const [ratio, resolution] of cells) {
			const first = DOCUMENTED_SIZES[resolution][ratio][0];
			if (first) expect(imageSizeFor(ratio, resolution)).toEqual(parseSize(first));
		}
	});

	it('scales 2K 4:5 by 1.5 for 4K 4:5, the one cell the docs leave empty', () => {
		expect(DOCUMENTED_SIZES['4K']['4:5']).toEqual([]);
		expect(imageSizeFor('4:5', '4K')).toEqual({ width: 3072, height: 3840 });
	});

	it.each(cells)(
		'%s %s has the ratio (within the docs rounding) and grows with the tier',
		(ratio, resolution) => {
			const { width, height } = imageSizeFor(ratio, resolution);
			const [w, h] = ratio.split(':').map(Number);
			expect(Math.abs(width / height - w / h)).toBeLessThan(0.01);
			const tier = RESOLUTIONS.indexOf(resolution);
			if (tier > 0)
				expect(width * height).toBeGreaterThan(
					imageSizeFor(ratio, RESOLUTIONS[tier - 1]).width *
						imageSizeFor(ratio, RESOLUTIONS[tier - 1]).height,
				);
		},
	);
});

describe('downloads', () => {
	it.each([
		['1:1', '1K'],
		['16:9', '1K'],
		['9:16', '2K'],
		['4:5', '2K'],
		['16:9', '4K'],
		['4:5', '4K'],
	] as Array<[AspectRatio, Resolution]>)(
		'serve a valid PNG of imageSizeFor(%s, %s)',
		async (aspect_ratio, resolution) => {
			const [url] = await generateUrls({ aspect_ratio, resolution });
			const { status, type, bytes } = await download(url);
			expect(status).toBe(200);
			expect(type).toBe('image/png');
			const facts = await checkPng(bytes);
			expect({ width: facts.width, height: facts.height }).toEqual(
				imageSizeFor(aspect_ratio, resolution),
			);
			expect(bytes.equals(api.fileBytes(url) as Buffer)).toBe(true);
		},
	);

	it('need no key, and the log shows whether one was (wrongly) sent', async () => {
		const [url] = await generateUrls({});
		expect((await download(url)).status).toBe(200);
		expect((await download(url, AUTH)).status).toBe(200);
		const downloads = api.log.filter((e) => e.route === 'image');
		expect(downloads.map((e) => e.headers.authorization)).toEqual([undefined, AUTH.Authorization]);
		expect(downloads.map((e) => e.authorized)).toEqual([false, true]);
	});

	it('answer 404 for a file that does not exist (or was reset away)', async () => {
		const [url] = await generateUrls({});
		expect((await download(url.replace(/img-[\w-]+/, 'img-0-0-none'))).status).toBe(404);
		api.reset();
		expect((await download(url)).status).toBe(404);
	});

	it('are the same bytes for the same prompt and row, different for another prompt', async () => {
		const [a] = await generateUrls({ prompt: 'row 3: a lighthouse' });
		const [b] = await generateUrls({ prompt: 'row 3: a lighthouse' });
		const [c] = await generateUrls({ prompt: 'row 3: a harbour' });
		const [bytesA, bytesB, bytesC] = await Promise.all(
			[a, b, c].map(async (url) => (await download(url)).bytes),
		);
		expect(a).not.toBe(b);
		expect(bytesA.equals(bytesB)).toBe(true);
		expect(bytesA.equals(bytesC)).toBe(false);
	});

	it('of async results are PNGs too', async () => {
		api.configure({ mode: 'async', latencyMs: 0 });
		const { json } = await postGeneration(api.url, {
			...validRequest,
			aspect_ratio: '3:4',
			resolution: '2K',
		});
		const done = (await pollTask(api.url, json.id as string)).pop();
		const [url] = (done?.result as { outputs: string[] }).outputs;
		expect(await checkPng((await download(url)).bytes)).toMatchObject(imageSizeFor('3:4', '2K'));
	});

	it('wait downloadDelayMs before answering', async () => {
		api.configure({ downloadDelayMs: 200 });
		const [url] = await generateUrls({});
		const started = Date.now();
		await download(url);
		expect(Date.now() - started).toBeGreaterThanOrEqual(190);
	});

	// Speed is the benchmark's business (npm run bench); here only that parallel first downloads agree.
	it('of a 4K image: eight parallel first downloads serve the same rendered bytes', async () => {
		const urls = await generateUrls({
			aspect_ratio: '4:5',
			resolution: '4K',
			num_images: 8,
			prompt: `speed ${Date.now()}`,
		});
		const all = await Promise.all(urls.map(async (url) => (await download(url)).bytes));
		expect(all.every((bytes) => bytes.equals(all[0]))).toBe(true);
	});
});

describe('largeImages', () => {
	it('serves incompressible PNGs of the real size: ~24 MB for 4K 16:9', async () => {
		api.configure({ largeImages: true });
		const [url] = await generateUrls({ aspect_ratio: '16:9', resolution: '4K' });
		const { bytes } = await download(url);
		expect(bytes.length).toBeGreaterThan(24_000_000);
		const facts = await checkPng(bytes, false);
		expect({ width: facts.width, height: facts.height }).toEqual({ width: 3840, height: 2160 });
		// One cached image per size: the next download is the same bytes.
		const [again] = await generateUrls({
			aspect_ratio: '16:9',
			resolution: '4K',
			prompt: 'another',
		});
		expect((await download(again)).bytes.equals(bytes)).toBe(true);
	});

	it('in sync-b64 mode put the large PNG inline', async () => {
		api.configure({ largeImages: true, mode: 'sync-b64' });
		const { json } = await postGeneration(api.url, { ...validRequest, resolution: '1K' });
		const bytes = Buffer.from((json.data as Array<{ b64_json: string }>)[0].b64_json, 'base64');
		expect(bytes.length).toBeGreaterThan(3_000_000);
		expect(await checkPng(bytes)).toMatchObject({ width: 1024, height: 1024 });
	});
});

describe('ImageStore.prepare (a sync answer renders its files during the latency)', () => {
	const spec = (seed: number) => ({
		width: 256,
		height: 256,
		seed,
		label: String(seed),
		large: false,
		flat: true,
	});

	it('renders nothing synchronously, then every file, in the background, to the bytes a download gets', async () => {
		const store = new ImageStore();
		store.add('a', spec(1));
		store.add('b', spec(2));
		store.prepare(['a', 'b']);
		// Requests arriving now are answered before any render starts.
		expect([store.isRendered('a'), store.isRendered('b')]).toEqual([false, false]);
		for (let turn = 0; turn < 200 && !(store.isRendered('a') && store.isRendered('b')); turn++)
			await sleep(5);
		expect([store.isRendered('a'), store.isRendered('b')]).toEqual([true, true]);
		const fresh = new ImageStore();
		fresh.add('a', spec(1));
		expect(await store.render('a')).toEqual(await fresh.render('a'));
	});

	it('skips files it no longer knows', async () => {
		const store = new ImageStore();
		store.add('a', spec(3));
		store.prepare(['gone', 'a']);
		for (let turn = 0; turn < 200 && !store.isRendered('a'); turn++) await sleep(5);
		expect(store.isRendered('a')).toBe(true);
		expect(store.isRendered('gone')).toBe(false);
	});
});
