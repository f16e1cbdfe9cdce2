import { sleep } from 'n8n-workflow';

import { MAX_IMAGES, ROUTES } from '../../nodes/UniAllGptImage2/helpers/contract';
import { RESULT_SHAPES, type ResultShape } from '../../tools/stand-in/server.cjs';
import { jpeg, png, webpVp8x } from '../helpers/imageBytes.cjs';
import { useStandIn } from '../helpers/standIn';
import {
	AUTH,
	dataUrl,
	download,
	getTask,
	pollTask,
	postGeneration,
	request,
	validRequest,
} from './standInClient';

/** The stand-in is only useful if it is as strict as UniAll's contract: these prove it. */
const api = useStandIn({ mode: 'sync-url', latencyMs: 0 });

const i2i = (image_url: unknown) => ({
	...validRequest,
	generation_mode: 'image_to_image',
	image_url,
});

describe('auth', () => {
	it.each([
		['no header', {}],
		['a wrong key', { Authorization: 'Bearer wrong-key-123' }],
		['another scheme', { Authorization: 'Basic wrong-key-123' }],
	])(
		'refuses %s with an OpenAI-style 401 that does not echo the key',
		async (_name, headers: Record<string, string>) => {
			for (const answer of [
				await postGeneration(api.url, validRequest, headers),
				await request(`${api.url}${ROUTES.models}`, { headers }),
			]) {
				expect(answer.status).toBe(401);
				expect(answer.json.error).toEqual({
					message: expect.any(String),
					type: 'authentication_error',
					param: null,
					code: 'invalid_api_key',
				});
				expect(JSON.stringify(answer.json)).not.toContain('wrong-key');
			}
			expect(api.log.every((e) => !e.authorized && e.status === 401)).toBe(true);
			expect(api.count('generations', { accepted: true })).toBe(0);
		},
	);

	it('guards the task route too, but not image downloads', async () => {
		expect((await getTask(api.url, 'task_x', {})).status).toBe(401);
		const { json } = await postGeneration(api.url, validRequest);
		const url = (json.data as Array<{ url: string }>)[0].url;
		expect((await download(url)).status).toBe(200);
	});

	it('logs the authorization header as sent, for tests to assert on', async () => {
		await request(`${api.url}${ROUTES.models}`, { headers: { ...AUTH, 'Idempotency-Key': 'k-1' } });
		expect(api.log[0]).toMatchObject({
			route: 'models',
			method: 'GET',
			authorized: true,
			status: 200,
			idempotencyKey: 'k-1',
		});
		expect(api.log[0].headers.authorization).toBe(AUTH.Authorization);
	});
});

describe('GET /v1/models', () => {
	it('lists both GPT Image-2 models', async () => {
		const { status, json } = await request(`${api.url}${ROUTES.models}`, { headers: AUTH });
		expect(status).toBe(200);
		expect(json.object).toBe('list');
		expect(
			(json.data as Array<{ id: string; object: string }>).map((m) => [m.id, m.object]),
		).toEqual([
			['gpt-image-2', 'model'],
			['gpt-image-2-origin', 'model'],
		]);
	});
});

describe('request validation', () => {
	it.each([
		['an array body', [validRequest], 'body'],
		['a body that is not JSON', '{"model":', 'body'],
		['an unknown field', { ...validRequest, size: '1024x1024' }, 'size'],
		['no model', { ...validRequest, model: undefined }, 'model'],
		['a non-string model', { ...validRequest, model: 2 }, 'model'],
		[
			'an unknown generation_mode',
			{ ...validRequest, generation_mode: 'video' },
			'generation_mode',
		],
		['an empty prompt', { ...validRequest, prompt: '  ' }, 'prompt'],
		['a non-string prompt', { ...validRequest, prompt: ['x'] }, 'prompt'],
		['an unknown aspect_ratio', { ...validRequest, aspect_ratio: '5:4' }, 'aspect_ratio'],
		['an unknown resolution', { ...validRequest, resolution: '8K' }, 'resolution'],
		['a lower-case resolution', { ...validRequest, resolution: '1k' }, 'resolution'],
		['num_images 0', { ...validRequest, num_images: 0 }, 'num_images'],
		[`num_images ${MAX_IMAGES + 1}`, { ...validRequest, num_images: MAX_IMAGES + 1 }, 'num_images'],
		['a fractional num_images', { ...validRequest, num_images: 1.5 }, 'num_images'],
		['num_images as a string', { ...validRequest, num_images: '1' }, 'num_images'],
		[
			'image_url on text_to_image',
			{ ...validRequest, image_url: ['https://example.com/a.png'] },
			'image_url',
		],
		['image_to_image without image_url', i2i(undefined), 'image_url'],
		['an empty image_url', i2i([]), 'image_url'],
		['image_url as a string', i2i('https://example.com/a.png'), 'image_url'],
		['seven references', i2i(Array(7).fill('https://example.com/a.png')), 'image_url'],
		['a non-string reference', i2i([42]), 'image_url[0]'],
		['an ftp reference', i2i(['ftp://example.com/a.png']), 'image_url[0]'],
		['a relative reference', i2i(['/a.png']), 'image_url[0]'],
		['a GIF data URL', i2i([dataUrl('image/gif', Buffer.from('GIF89a'))]), 'image_url[0]'],
		['a data URL without base64', i2i(['data:image/png,abc']), 'image_url[0]'],
		[
			'a data URL whose bytes are not its type',
			i2i(['https://example.com/a.png', dataUrl('image/png', jpeg(8, 8))]),
			'image_url[1]',
		],
		['a short data URL', i2i(['data:image/png;base64,AAAA']), 'image_url[0]'],
	])('refuses %s, naming the field', async (_name, body, param) => {
		const { status, json } = await postGeneration(api.url, body);
		expect(status).toBe(400);
		expect(json.error).toMatchObject({
			param,
			type: 'invalid_request_error',
			code: param === 'size' ? 'unknown_parameter' : 'invalid_value',
		});
		expect(api.count('generations', { accepted: true })).toBe(0);
	});

	it('accepts 1 to 6 references as http(s) URLs and PNG, JPEG and WebP data URLs', async () => {
		const refs = [
			'https://example.com/a.png',
			'http://127.0.0.1:9/b.jpg',
			dataUrl('image/png', png(4, 4)),
			dataUrl('image/jpeg', jpeg(4, 4)),
			dataUrl('image/webp', webpVp8x(4, 4)),
		];
		expect((await postGeneration(api.url, i2i(refs))).status).toBe(200);
		expect((await postGeneration(api.url, i2i([refs[0]]))).status).toBe(200);
		expect((await postGeneration(api.url, i2i(Array(6).fill(refs[2])))).status).toBe(200);
		expect(api.count('generations', { accepted: true })).toBe(3);
		expect(api.log[0].body).toEqual(i2i(refs));
	});

	it('accepts every num_images from 1 to 8', async () => {
		for (let n = 1; n <= MAX_IMAGES; n++) {
			const { json } = await postGeneration(api.url, { ...validRequest, num_images: n });
			expect(json.data).toHaveLength(n);
		}
	});
});

describe('answer shapes per mode', () => {
	it('sync-url: {created, data: [{url}]} after the latency', async () => {
		api.configure({ latencyMs: 150 });
		const started = Date.now();
		const { status, json } = await postGeneration(api.url, { ...validRequest, num_images: 2 });
		expect(Date.now() - started).toBeGreaterThanOrEqual(140);
		expect(status).toBe(200);
		expect(json).toEqual({
			created: expect.any(Number),
			data: [
				{ url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/files\/[\w-]+\.png$/) },
				{ url: expect.any(String) },
			],
		});
		expect(Math.abs((json.created as number) - Date.now() / 1000)).toBeLessThan(5);
	});

	it('sync-b64: {created, data: [{b64_json}]} holding the PNG', async () => {
		api.setMode('sync-b64');
		const { json } = await postGeneration(api.url, { ...validRequest, aspect_ratio: '3:2' });
		const [entry] = json.data as Array<{ b64_json: string }>;
		expect(Object.keys(entry)).toEqual(['b64_json']);
		const bytes = Buffer.from(entry.b64_json, 'base64');
		// 1K 3:2 is 1536x1024, the documented size.
		expect(bytes.readUInt32BE(16)).toBe(1536);
		expect(bytes.readUInt32BE(20)).toBe(1024);
	});

	it('async: answers at once with a queued task', async () => {
		api.configure({ mode: 'async', latencyMs: 5000 });
		const started = Date.now();
		const { status, json } = await postGeneration(api.url, validRequest);
		expect(Date.now() - started).toBeLessThan(1000);
		expect(status).toBe(200);
		expect(json).toMatchObject({
			id: expect.stringMatching(/^task_\w+$/),
			object: 'image.task',
			status: 'queued',
			created: expect.any(Number),
		});
		expect(json.task_id).toBe(json.id);
		expect(api.log[0]).toMatchObject({ accepted: true, taskId: json.id });
	});

	it('extra answer fields (e.g. usage) are merged into successful answers', async () => {
		api.configure({ extraAnswerFields: { usage: { total_cost: 0.01836 } } });
		const { json } = await postGeneration(api.url, validRequest);
		expect(json.usage).toEqual({ total_cost: 0.01836 });
	});
});

describe('async tasks', () => {
	beforeEach(() => api.configure({ mode: 'async', latencyMs: 400 }));

	it('go queued → in_progress with growing progress → completed with result.outputs', async () => {
		const { json } = await postGeneration(api.url, { ...validRequest, num_images: 3 });
		const seen = await pollTask(api.url, json.id as string, 20);
		// The POST answer counts as the first look: a slow machine may poll only after 10 %.
		const statuses = [...new Set([json, ...seen].map((t) => t.status))];
		expect(statuses).toEqual(['queued', 'in_progress', 'completed']);
		const progress = seen.map((t) => t.progress as number);
		expect(progress).toEqual([...progress].sort((a, b) => a - b));
		expect(progress[progress.length - 1]).toBe(100);
		expect(progress.slice(0, -1).every((p) => p >= 0 && p < 100)).toBe(true);
		const done = seen[seen.length - 1];
		expect(done).toMatchObject({
			id: json.id,
			task_id: json.id,
			status: 'completed',
			progress: 100,
		});
		const outputs = (done.result as { outputs: string[] }).outputs;
		expect(outputs).toHaveLength(3);
		for (const url of outputs) expect((await download(url)).status).toBe(200);
	});

	it('answer 404 for an unknown task id', async () => {
		const { status, json } = await getTask(api.url, 'task_doesnotexist');
		expect(status).toBe(404);
		expect(json.error?.code).toBe('not_found');
	});

	const urlsIn: Record<ResultShape, (task: Record<string, unknown>) => unknown> = {
		'result.outputs': (t) => (t.result as { outputs: string[] }).outputs,
		'result.images': (t) =>
			(t.result as { images: Array<{ url: string }> }).images.map((i) => i.url),
		data: (t) => (t.data as Array<{ url: string }>).map((i) => i.url),
		images: (t) => t.images,
		output: (t) => t.output,
		image_url: (t) => t.image_url,
	};

	it.each(RESULT_SHAPES.map((shape) => [shape]))(
		'put the image URLs where resultShape %s says',
		async (shape) => {
			api.configure({ resultShape: shape, latencyMs: 0 });
			const one = await postGeneration(api.url, validRequest);
			const two = await postGeneration(api.url, { ...validRequest, num_images: 2 });
			const [doneOne] = (await pollTask(api.url, one.json.id as string)).slice(-1);
			const [doneTwo] = (await pollTask(api.url, two.json.id as string)).slice(-1);
			const single = urlsIn[shape](doneOne);
			// image_url is a plain string for one image, like a sibling provider's answer.
			expect(shape === 'image_url' ? [single] : single).toEqual([
				expect.stringContaining('/files/'),
			]);
			expect(urlsIn[shape](doneTwo)).toHaveLength(2);
		},
	);
});

describe('magic prompts', () => {
	it('[fail:policy] refuses that one request with 400 content_policy_violation', async () => {
		const bad = await postGeneration(api.url, { ...validRequest, prompt: 'row 2 [fail:policy]' });
		const good = await postGeneration(api.url, validRequest);
		expect(bad.status).toBe(400);
		expect(bad.json.error).toMatchObject({
			code: 'content_policy_violation',
			message: 'Your request was rejected by the safety system.',
		});
		expect(good.status).toBe(200);
		expect(api.count('generations', { accepted: true })).toBe(1);
	});

	it('[fail:task] makes the async task end failed with an error object', async () => {
		api.configure({ mode: 'async', latencyMs: 50 });
		const { json } = await postGeneration(api.url, { ...validRequest, prompt: 'x [fail:task]' });
		const done = (await pollTask(api.url, json.id as string)).pop();
		expect(done).toMatchObject({
			status: 'failed',
			error: { code: 'generation_failed', message: expect.any(String) },
		});
		expect(done?.result).toBeUndefined();
	});

	it('[fail:task] in a synchronous mode is an HTTP 500 generation_failed (the job was accepted)', async () => {
		const { status, json } = await postGeneration(api.url, {
			...validRequest,
			prompt: 'x [fail:task]',
		});
		expect(status).toBe(500);
		expect(json.error?.code).toBe('generation_failed');
		expect(api.count('generations', { accepted: true })).toBe(1);
	});

	it('[deliver:N] delivers only N images in every mode', async () => {
		const body = { ...validRequest, prompt: 'few [deliver:2]', num_images: 4 };
		expect((await postGeneration(api.url, body)).json.data).toHaveLength(2);
		api.setMode('sync-b64');
		expect((await postGeneration(api.url, body)).json.data).toHaveLength(2);
		api.configure({ mode: 'async', latencyMs: 0 });
		const { json } = await postGeneration(api.url, body);
		const done = (await pollTask(api.url, json.id as string)).pop();
		expect((done?.result as { outputs: string[] }).outputs).toHaveLength(2);
		// Never more than asked for.
		api.setMode('sync-url');
		expect(
			(await postGeneration(api.url, { ...body, prompt: 'x [deliver:5]', num_images: 1 })).json
				.data,
		).toHaveLength(1);
	});

	it('[slow:MS] adds latency to that request only', async () => {
		let started = Date.now();
		await postGeneration(api.url, { ...validRequest, prompt: 'x [slow:1500]' });
		expect(Date.now() - started).toBeGreaterThanOrEqual(1490);
		started = Date.now();
		await postGeneration(api.url, validRequest);
		expect(Date.now() - started).toBeLessThan(1000);

		api.configure({ mode: 'async', latencyMs: 0 });
		const slow = await postGeneration(api.url, { ...validRequest, prompt: 'x [slow:300]' });
		const fast = await postGeneration(api.url, validRequest);
		expect((await getTask(api.url, slow.json.id as string)).json.status).not.toBe('completed');
		expect((await getTask(api.url, fast.json.id as string)).json.status).toBe('completed');
		await sleep(320);
		expect((await getTask(api.url, slow.json.id as string)).json.status).toBe('completed');
	});
});

describe('request log', () => {
	it('records every request in order, counted per route and status', async () => {
		await request(`${api.url}${ROUTES.models}`, { headers: AUTH });
		await postGeneration(api.url, { ...validRequest, resolution: '9K' });
		const { json } = await postGeneration(api.url, validRequest);
		await download((json.data as Array<{ url: string }>)[0].url);
		await request(`${api.url}/v1/nothing-here`, { headers: AUTH });
		expect(api.log.map((e) => [e.route, e.method, e.status])).toEqual([
			['models', 'GET', 200],
			['generations', 'POST', 400],
			['generations', 'POST', 200],
			['image', 'GET', 200],
			['other', 'GET', 404],
		]);
		expect(api.count('generations')).toBe(2);
		expect(api.count('generations', { status: 400 })).toBe(1);
		expect(api.count('generations', { accepted: true })).toBe(1);
		expect(api.log[1].body).toEqual({ ...validRequest, resolution: '9K' });
		expect(api.log.every((e, i) => i === 0 || e.at >= api.log[i - 1].at)).toBe(true);
	});

	it('reset() forgets log, faults and tasks', async () => {
		api.configure({ mode: 'async' });
		const { json } = await postGeneration(api.url, validRequest);
		api.inject({ route: 'models', kind: 'status', status: 500 });
		api.reset();
		expect(api.log).toHaveLength(0);
		expect(api.pendingFaults).toBe(0);
		expect((await getTask(api.url, json.id as string)).status).toBe(404);
	});
});
