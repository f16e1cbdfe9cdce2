import { sniffImage } from '../../nodes/UniAllGptImage2/helpers/imageInfo';
import { useStandIn } from '../helpers/standIn';
import { download, postGeneration, validRequest } from './standInClient';

/**
 * `quality` and `background` in both API styles: validated like the other output fields; a
 * transparent background is a cut-out PNG or WebP with alpha, unless `ignoreBackground` makes
 * the stand-in a gateway that drops the field.
 */
const api = useStandIn({ mode: 'sync-url', latencyMs: 0 });

const openAiRequest = {
	model: 'gpt-image-2-origin',
	prompt: 'a lamp',
	size: '1024x1024',
	n: 1,
	response_format: 'url',
};

async function image(style: 'uniall' | 'openai', fields: Record<string, unknown>) {
	api.configure({ apiStyle: style });
	const base = style === 'openai' ? openAiRequest : validRequest;
	const { status, json } = await postGeneration(api.url, { ...base, ...fields });
	expect({ status, json }).toMatchObject({ status: 200 });
	const url = (json.data as Array<{ url: string }>)[0].url;
	return { url, ...(await download(url)) };
}

describe.each(['uniall', 'openai'] as const)('%s style', (style) => {
	it('background transparent: a PNG, or a WebP, with alpha; quality accepted', async () => {
		const png = await image(style, { background: 'transparent', quality: 'high' });
		expect(sniffImage(png.bytes)).toMatchObject({ mimeType: 'image/png', hasAlpha: true });
		expect(png.bytes[25]).toBe(6); // RGB + alpha
		const webp = await image(style, { background: 'transparent', output_format: 'webp' });
		expect(sniffImage(webp.bytes)).toMatchObject({ mimeType: 'image/webp', hasAlpha: true });
	});

	it('auto, opaque and no background: opaque images', async () => {
		for (const fields of [{}, { background: 'auto' }, { background: 'opaque', quality: 'low' }])
			expect(sniffImage((await image(style, fields)).bytes)).toMatchObject({ hasAlpha: false });
	});

	it('ignoreBackground: accepted, but the image comes back opaque', async () => {
		api.configure({ ignoreBackground: true });
		for (const output_format of ['png', 'webp']) {
			const file = await image(style, { background: 'transparent', output_format });
			expect(sniffImage(file.bytes)).toMatchObject({ hasAlpha: false });
		}
	});

	it.each([
		[{ quality: 'ultra' }, 'quality'],
		[{ background: 'white' }, 'background'],
		[{ background: 'transparent', output_format: 'jpeg' }, 'background'],
	])('refuses %j naming %s, with no job', async (fields, param) => {
		api.configure({ apiStyle: style });
		const base = style === 'openai' ? openAiRequest : validRequest;
		const { status, json } = await postGeneration(api.url, { ...base, ...fields });
		expect(status).toBe(400);
		expect(json).toMatchObject({ error: { param } });
		expect(api.count('generations', { accepted: true })).toBe(0);
	});
});
