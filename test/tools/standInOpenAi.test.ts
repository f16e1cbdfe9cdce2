import {
	DOCUMENTED_SIZES,
	MAX_IMAGES,
	ROUTES,
	tierOfSize,
} from '../../nodes/UniAllGptImage2/helpers/contract';
import { jpeg, png } from '../helpers/imageBytes.cjs';
import { useStandIn } from '../helpers/standIn';
import { checkPng } from './pngCheck';
import {
	AUTH,
	dataUrl,
	download,
	pollTask,
	postGeneration,
	request,
	validRequest,
	type JsonAnswer,
} from './standInClient';

/** The stand-in's strictly OpenAI-compatible style (`apiStyle: 'openai'`), as UniAll's docs page shows it. */
const api = useStandIn({ mode: 'sync-url', latencyMs: 0, apiStyle: 'openai' });

const generation = {
	model: 'gpt-image-2-origin',
	prompt: 'a red fox in the snow',
	size: '1024x1024',
	n: 1,
};
const edit = {
	model: 'gpt-image-2-origin',
	prompt: 'the fox on a beach',
	image: 'https://example.com/fox.png',
	size: '1024x1024',
	n: 1,
};

async function postEdit(body: unknown): Promise<JsonAnswer> {
	return await request(`${api.url}${ROUTES.edits}`, {
		method: 'POST',
		headers: { ...AUTH, 'Content-Type': 'application/json' },
		body: JSON.stringify(body),
	});
}

const urlsOf = (json: JsonAnswer['json']) =>
	(json.data as Array<{ url: string }>).map((d) => d.url);
const allDocumentedSizes = [
	...new Set(Object.values(DOCUMENTED_SIZES).flatMap((byRatio) => Object.values(byRatio).flat())),
];

describe('OpenAI-strict style: what it refuses', () => {
	it('refuses the UniAll body with the exact OpenAI-style 400, and creates no job', async () => {
		const { status, json } = await postGeneration(api.url, { ...generation, aspect_ratio: '1:1' });
		expect(status).toBe(400);
		expect(json).toEqual({
			error: {
				message: "Unknown parameter: 'aspect_ratio'.",
				type: 'invalid_request_error',
				param: 'aspect_ratio',
				code: 'unknown_parameter',
			},
		});
		expect(api.count('generations', { accepted: true })).toBe(0);
	});

	it.each(['generation_mode', 'aspect_ratio', 'resolution', 'num_images', 'image_url'])(
		'refuses %s as an unknown parameter',
		async (field) => {
			const value =
				field === 'image_url' ? ['https://example.com/a.png'] : field === 'num_images' ? 1 : 'x';
			for (const answer of [
				await postGeneration(api.url, { ...generation, [field]: value }),
				await postEdit({ ...edit, [field]: value }),
			]) {
				expect(answer.status).toBe(400);
				expect(answer.json.error).toEqual({
					message: `Unknown parameter: '${field}'.`,
					type: 'invalid_request_error',
					param: field,
					code: 'unknown_parameter',
				});
			}
		},
	);

	it('refuses the whole UniAll article body on its first field', async () => {
		const { status, json } = await postGeneration(api.url, validRequest);
		expect(status).toBe(400);
		expect(json.error).toMatchObject({ param: 'generation_mode', code: 'unknown_parameter' });
	});

	it.each([
		['no size', { ...generation, size: undefined }, 'size', 'missing_required_parameter'],
		[
			'a size the docs do not list (the old stand-in 1K 4:3)',
			{ ...generation, size: '1152x864' },
			'size',
			'invalid_value',
		],
		[
			'4K 4:5 scaled (no documented size)',
			{ ...generation, size: '3072x3840' },
			'size',
			'invalid_value',
		],
		['auto size', { ...generation, size: 'auto' }, 'size', 'invalid_value'],
		['n 0', { ...generation, n: 0 }, 'n', 'invalid_value'],
		[`n ${MAX_IMAGES + 1}`, { ...generation, n: MAX_IMAGES + 1 }, 'n', 'invalid_value'],
		['a fractional n', { ...generation, n: 1.5 }, 'n', 'invalid_value'],
		['an unknown quality', { ...generation, quality: 'ultra' }, 'quality', 'invalid_value'],
		[
			'an unknown response_format',
			{ ...generation, response_format: 'png' },
			'response_format',
			'invalid_value',
		],
		[
			'image on the generations route',
			{ ...generation, image: 'https://example.com/a.png' },
			'image',
			'unknown_parameter',
		],
		['an empty prompt', { ...generation, prompt: ' ' }, 'prompt', 'invalid_value'],
	])('refuses %s on /v1/images/generations', async (_name, body, param, code) => {
		const { status, json } = await postGeneration(api.url, body);
		expect(status).toBe(400);
		expect(json.error).toMatchObject({ param, code, type: 'invalid_request_error' });
		expect(api.count('generations', { accepted: true })).toBe(0);
	});

	it.each([
		['no image', { ...edit, image: undefined }, 'image'],
		[
			'a list under image (several go under images)',
			{ ...edit, image: ['https://example.com/a.png'] },
			'image',
		],
		['both image and images', { ...edit, images: ['https://example.com/a.png'] }, 'images'],
		['an empty images list', { ...edit, image: undefined, images: [] }, 'images'],
		[
			'seven images',
			{ ...edit, image: undefined, images: Array(7).fill('https://example.com/a.png') },
			'images',
		],
		['an ftp URL', { ...edit, image: 'ftp://example.com/a.png' }, 'image[0]'],
		[
			'a data URL whose bytes are not its type',
			{
				...edit,
				image: undefined,
				images: ['https://example.com/a.png', dataUrl('image/png', jpeg(8, 8))],
			},
			'images[1]',
		],
		['no size', { ...edit, size: undefined }, 'size'],
	])('refuses %s on /v1/images/edits', async (_name, body, param) => {
		const { status, json } = await postEdit(body);
		expect(status).toBe(400);
		expect(json.error?.param).toBe(param);
		expect(api.count('generations', { accepted: true })).toBe(0);
	});

	it('serves /v1/images/edits only in this style (UniAll style: 404)', async () => {
		api.configure({ apiStyle: 'uniall' });
		expect((await postEdit(edit)).status).toBe(404);
		expect(() => api.configure({ apiStyle: 'soap' as never })).toThrow(/Unknown apiStyle soap/);
	});
});

describe('OpenAI-strict style: what it accepts', () => {
	// Every documented size is accepted; the PNG check runs on the 1K ones (rendering 2K/4K ones all is slow).
	it('accepts every documented size', async () => {
		for (const size of allDocumentedSizes)
			expect((await postGeneration(api.url, { ...generation, size })).status).toBe(200);
		expect(api.count('generations', { accepted: true })).toBe(allDocumentedSizes.length);
	});

	it.each(
		allDocumentedSizes.filter(
			(size) => tierOfSize(...(size.split('x').map(Number) as [number, number])) === '1K',
		),
	)('size %s: a PNG of exactly that size', async (size) => {
		const { status, json } = await postGeneration(api.url, { ...generation, size });
		expect(status).toBe(200);
		const [width, height] = size.split('x').map(Number);
		expect(await checkPng((await download(urlsOf(json)[0])).bytes)).toMatchObject({
			width,
			height,
		});
	});

	it.each(['1920x1080', '3840x2160'])('a 2K and a 4K size too: %s', async (size) => {
		const { json } = await postGeneration(api.url, { ...generation, size });
		const [width, height] = size.split('x').map(Number);
		expect(await checkPng((await download(urlsOf(json)[0])).bytes)).toMatchObject({
			width,
			height,
		});
	});

	it('n images (default 1), quality and response_format url', async () => {
		expect(
			urlsOf(
				(
					await postGeneration(api.url, {
						model: 'gpt-image-2-origin',
						prompt: 'x',
						size: '1024x1024',
					})
				).json,
			),
		).toHaveLength(1);
		const { json } = await postGeneration(api.url, {
			...generation,
			n: 3,
			quality: 'high',
			response_format: 'url',
		});
		expect(json).toEqual({
			created: expect.any(Number),
			data: [{ url: expect.any(String) }, { url: expect.any(String) }, { url: expect.any(String) }],
		});
		expect(api.count('generations', { accepted: true })).toBe(2);
	});

	it('response_format b64_json answers inline', async () => {
		const { json } = await postGeneration(api.url, {
			...generation,
			size: '1536x1024',
			response_format: 'b64_json',
		});
		const bytes = Buffer.from((json.data as Array<{ b64_json: string }>)[0].b64_json, 'base64');
		expect(await checkPng(bytes)).toMatchObject({ width: 1536, height: 1024 });
	});

	it('edits with image as one string or images as a list of up to 6, URLs and data URLs (as UniAll documents them)', async () => {
		expect((await postEdit({ ...edit, image: 'https://example.com/a.png' })).status).toBe(200);
		const refs = [
			'https://example.com/a.png',
			dataUrl('image/png', png(4, 4)),
			dataUrl('image/jpeg', jpeg(4, 4)),
		];
		expect((await postEdit({ ...edit, image: undefined, images: refs })).status).toBe(200);
		const { status, json } = await postEdit({
			...edit,
			image: undefined,
			images: Array(6).fill(refs[1]),
			size: '1024x1536',
			n: 2,
		});
		expect(status).toBe(200);
		expect(await checkPng((await download(urlsOf(json)[1])).bytes)).toMatchObject({
			width: 1024,
			height: 1536,
		});
		expect(api.count('generations', { accepted: true })).toBe(3);
		expect(api.log.map((e) => e.path)).toContain(ROUTES.edits);
	});

	it('answers with a task in async mode, like the UniAll style', async () => {
		api.configure({ mode: 'async', latencyMs: 0 });
		const { json } = await postEdit({ ...edit, size: '2048x1536' });
		const done = (await pollTask(api.url, json.id as string)).pop();
		const [url] = (done?.result as { outputs: string[] }).outputs;
		expect(await checkPng((await download(url)).bytes)).toMatchObject({
			width: 2048,
			height: 1536,
		});
	});

	it('keeps the magic prompts: [fail:policy] is a content-policy 400 with no job', async () => {
		const { status, json } = await postGeneration(api.url, {
			...generation,
			prompt: 'x [fail:policy]',
		});
		expect(status).toBe(400);
		expect(json.error?.code).toBe('content_policy_violation');
		expect(api.count('generations', { accepted: true })).toBe(0);
	});
});
