import { sniffImage } from '../../nodes/UniAllGptImage2/helpers/imageInfo';
import { useStandIn } from '../helpers/standIn';
import { download, postGeneration, validRequest } from './standInClient';

/**
 * Photo-like images and output formats: PNG sizes land where photographs land, JPEG/WebP are
 * real files of the asked quality, served with the right extension and Content-Type.
 */
const api = useStandIn({ mode: 'sync-url', latencyMs: 0, flatImages: false });

const MB = 1024 * 1024;

async function image(body: Record<string, unknown>) {
	const { status, json } = await postGeneration(api.url, { ...validRequest, ...body });
	expect(status).toBe(200);
	const url = (json.data as Array<{ url: string }>)[0].url;
	return { url, ...(await download(url)) };
}

describe('photo-like images weigh what photographs weigh', () => {
	it('1K 1:1 PNG 1-2.5 MB, and JPEG at compression 85 several times smaller', async () => {
		const png = await image({ aspect_ratio: '1:1', resolution: '1K' });
		expect(png.bytes.length).toBeGreaterThan(1 * MB);
		expect(png.bytes.length).toBeLessThan(2.5 * MB);
		const jpeg = await image({
			aspect_ratio: '1:1',
			resolution: '1K',
			output_format: 'jpeg',
			output_compression: 85,
		});
		expect(jpeg.bytes.length * 4).toBeLessThan(png.bytes.length);
	});

	it('4K 16:9 PNG 8-16 MB', async () => {
		const png = await image({ aspect_ratio: '16:9', resolution: '4K' });
		expect(sniffImage(png.bytes)).toMatchObject({ width: 3840, height: 2160 });
		expect(png.bytes.length).toBeGreaterThan(8 * MB);
		expect(png.bytes.length).toBeLessThan(16 * MB);
		// Rendering a 4K photo takes ~1-2 s on an idle 2-core runner, far longer on a busy one.
	}, 180_000);
});

describe('output_format and output_compression', () => {
	it.each([
		['jpeg', 'image/jpeg', 'jpg'],
		['webp', 'image/webp', 'webp'],
		['png', 'image/png', 'png'],
	])('%s: a real %s file at /files/<id>.%s', async (format, mimeType, extension) => {
		const file = await image({ output_format: format });
		expect(file.url).toMatch(new RegExp(`/files/[\\w-]+\\.${extension}$`));
		expect(file.type).toBe(mimeType);
		expect(sniffImage(file.bytes)).toMatchObject({ mimeType, width: 1024, height: 1024 });
		expect(api.fileBytes(file.url)?.equals(file.bytes)).toBe(true);
	});

	it('lower compression = smaller file', async () => {
		const high = await image({ output_format: 'jpeg', output_compression: 95 });
		const low = await image({ output_format: 'jpeg', output_compression: 30 });
		expect(low.bytes.length).toBeLessThan(high.bytes.length);
	});

	it.each([
		[{ output_format: 'gif' }, 'output_format'],
		[{ output_format: 'jpeg', output_compression: 101 }, 'output_compression'],
		[{ output_compression: 50 }, 'output_compression'],
		[{ output_format: 'png', output_compression: 50 }, 'output_compression'],
	])('refuses %j naming %s, with no job', async (body, param) => {
		const { status, json } = await postGeneration(api.url, { ...validRequest, ...body });
		expect(status).toBe(400);
		expect(json).toMatchObject({ error: { param } });
		expect(api.count('generations', { accepted: true })).toBe(0);
	});

	it('refuseFields refuses a field as unknown; ignoreOutputFormat serves PNGs anyway', async () => {
		api.configure({ refuseFields: ['output_format'] });
		const refused = await postGeneration(api.url, { ...validRequest, output_format: 'jpeg' });
		expect(refused.json).toMatchObject({
			error: { param: 'output_format', code: 'unknown_parameter' },
		});
		api.configure({ refuseFields: [], ignoreOutputFormat: true });
		const file = await image({ output_format: 'jpeg' });
		expect(sniffImage(file.bytes)?.mimeType).toBe('image/png');
		expect(file.url).toMatch(/\.png$/);
	});
});
