import { imageSizeFor, startStandIn, type StandIn } from '../../tools/stand-in/server.cjs';
import { sniffImage } from '../../nodes/UniAllGptImage2/helpers/imageInfo';

/** The stand-in is only useful if it is as strict as the contract: these prove it refuses what UniAll would. */
let api: StandIn;
beforeAll(async () => {
	api = await startStandIn({ mode: 'sync-url', latencyMs: 0 });
});
afterAll(async () => await api.close());

const valid = { model: 'gpt-image-2-origin', generation_mode: 'text_to_image', prompt: 'x', aspect_ratio: '1:1', resolution: '1K', num_images: 1 };
const post = async (body: unknown, key = 'test-uniall-key') =>
	await fetch(`${api.url}/v1/images/generations`, { method: 'POST', headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

describe('UniAll stand-in', () => {
	it('checks the bearer key', async () => {
		const res = await post(valid, 'nope');
		expect(res.status).toBe(401);
		expect(JSON.stringify(await res.json())).not.toContain('nope');
	});

	it.each([
		[{ ...valid, extra: 1 }, 'extra'],
		[{ ...valid, generation_mode: 'video' }, 'generation_mode'],
		[{ ...valid, prompt: ' ' }, 'prompt'],
		[{ ...valid, aspect_ratio: '5:4' }, 'aspect_ratio'],
		[{ ...valid, resolution: '8K' }, 'resolution'],
		[{ ...valid, num_images: 9 }, 'num_images'],
		[{ ...valid, image_url: ['https://a/x.png'] }, 'image_url'],
		[{ ...valid, generation_mode: 'image_to_image' }, 'image_url'],
		[{ ...valid, generation_mode: 'image_to_image', image_url: ['data:image/png;base64,AAAA'] }, 'image_url[0]'],
		[{ ...valid, generation_mode: 'image_to_image', image_url: Array(7).fill('https://a/x.png') }, 'image_url'],
	])('refuses %j naming the field', async (body, param) => {
		const res = await post(body);
		expect(res.status).toBe(400);
		expect(((await res.json()) as { error: { param: string } }).error.param).toBe(param);
	});

	it('serves real PNGs of the documented size', async () => {
		const res = await post({ ...valid, aspect_ratio: '9:16', resolution: '2K' });
		const { data } = (await res.json()) as { data: Array<{ url: string }> };
		const bytes = Buffer.from(await (await fetch(data[0].url)).arrayBuffer());
		expect(sniffImage(bytes)).toMatchObject(imageSizeFor('9:16', '2K'));
	});
});
