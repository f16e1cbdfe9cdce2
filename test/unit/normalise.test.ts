import {
	normaliseGenerationAnswer,
	normaliseTaskAnswer,
} from '../../nodes/UniAllGptImage2/helpers/normalise';

const A = 'https://cdn.uniall.ai/a.png';
const B = 'https://cdn.uniall.ai/b.png';

describe('normaliseGenerationAnswer', () => {
	it('reads a synchronous answer with URLs', () => {
		expect(
			normaliseGenerationAnswer({ created: 1760000000, data: [{ url: A }, { url: B }] }),
		).toEqual({
			kind: 'images',
			images: [{ url: A }, { url: B }],
			reportedCost: undefined,
			taskId: undefined,
		});
	});

	it('reads a synchronous answer with base64', () => {
		const answer = normaliseGenerationAnswer({ created: 1, data: [{ b64_json: 'iVBORw0KGgo=' }] });
		expect(answer).toMatchObject({ kind: 'images', images: [{ b64: 'iVBORw0KGgo=' }] });
	});

	it('reads data: URLs as inline images', () => {
		const answer = normaliseGenerationAnswer({
			data: [{ url: 'data:image/webp;base64,UklGRg==' }],
		});
		expect(answer).toMatchObject({
			kind: 'images',
			images: [{ b64: 'UklGRg==', mimeType: 'image/webp' }],
		});
	});

	it.each([
		[{ id: 'task_123', status: 'queued' }, 'task_123', 'queued'],
		[{ task_id: 'task_9', status: 'pending', progress: 0 }, 'task_9', 'pending'],
		[
			{ id: 'abc', task_id: 'task_7', object: 'image.task', status: 'in_progress' },
			'task_7',
			'in_progress',
		],
		[{ id: 'task_5' }, 'task_5', 'queued'],
	])('recognises an asynchronous task %j', (body, taskId, status) => {
		expect(normaliseGenerationAnswer(body)).toMatchObject({ kind: 'task', taskId, status });
	});

	it('takes a cost the API reports', () => {
		expect(normaliseGenerationAnswer({ data: [{ url: A }], usage: { cost: 0.02 } })).toMatchObject({
			reportedCost: 0.02,
		});
	});

	it.each([
		[{ data: { task_id: 'task_w', status: 'queued' } }, 'task_w', 'queued'],
		[
			{ code: 0, msg: 'ok', data: { id: 'task_x', status: 'pending', progress: 5 } },
			'task_x',
			'pending',
		],
	])('reads a task wrapped in data as a task to poll: %j', (body, taskId, status) => {
		expect(normaliseGenerationAnswer(body)).toMatchObject({ kind: 'task', taskId, status });
	});

	it('reads a synchronous answer wrapped in data, keeping a cost reported beside it', () => {
		expect(
			normaliseGenerationAnswer({
				data: { created: 1, data: [{ url: A }] },
				usage: { cost: 0.03 },
			}),
		).toMatchObject({
			kind: 'images',
			images: [{ url: A }],
			reportedCost: 0.03,
		});
	});

	it.each([
		['queued', { task_id: 'task_q', status: 'queued', image_url: [A, B] }],
		['in_progress', { id: 'task_r', status: 'in_progress', images: [A] }],
		['failed', { task_id: 'task_f', status: 'failed', image_url: A }],
		['wrapped queued', { data: { task_id: 'task_q', status: 'queued', image_url: [A] } }],
	])('a %s answer that echoes image URLs is a task, not a result', (_status, body) => {
		const answer = normaliseGenerationAnswer(body);
		expect(answer.kind).toBe('task');
		expect('images' in answer).toBe(false);
	});

	it('an echo without a task id to poll is an accepted job it cannot follow, never the echoed images', () => {
		expect(normaliseGenerationAnswer({ status: 'queued', image_url: [A] })).toEqual({
			kind: 'untracked',
			status: 'queued',
		});
		expect(normaliseGenerationAnswer({ request_id: 'req_7f3a', status: 'queued' })).toEqual({
			kind: 'untracked',
			status: 'queued',
		});
	});

	it('a status present but unknown (a word it does not know, or a number) never yields images', () => {
		expect(normaliseGenerationAnswer({ status: 'MODERATING', image_url: [A] })).toEqual({
			kind: 'untracked',
			status: 'MODERATING',
		});
		expect(
			normaliseGenerationAnswer({ task_id: 'task_n', status: 1, image_url: [A] }),
		).toMatchObject({ kind: 'task', taskId: 'task_n', status: '1' });
		expect(normaliseTaskAnswer({ task_id: 'task_n', status: 1, image_url: [A] })).toMatchObject({
			state: 'unknown',
			images: [],
		});
	});

	it('a failed status without a task id keeps its reason', () => {
		expect(
			normaliseGenerationAnswer({
				status: 'FAILURE',
				fail_reason: 'upstream moderation rejected the image',
			}),
		).toEqual({
			kind: 'untracked',
			status: 'FAILURE',
			failed: { message: 'upstream moderation rejected the image' },
		});
	});

	it('a completed answer with images is a result', () => {
		expect(
			normaliseGenerationAnswer({
				task_id: 'task_c',
				status: 'completed',
				result: { outputs: [A] },
			}),
		).toMatchObject({
			kind: 'images',
			images: [{ url: A }],
			taskId: 'task_c',
		});
	});

	it('treats an answer without images or task as no images', () => {
		expect(normaliseGenerationAnswer({ created: 1, data: [] })).toEqual({
			kind: 'images',
			images: [],
		});
		expect(normaliseGenerationAnswer('oops')).toEqual({ kind: 'images', images: [] });
	});
});

describe('normaliseTaskAnswer', () => {
	it.each(['queued', 'pending', 'in_progress', 'processing'])('keeps running on %s', (status) => {
		expect(normaliseTaskAnswer({ task_id: 't', status, progress: '40' })).toMatchObject({
			state: 'running',
			status,
			progress: 40,
		});
	});

	it.each([
		['result.outputs', { result: { outputs: [A, B] } }],
		['result.images', { result: { images: [{ url: A }, { url: B }] } }],
		['data[].url', { data: [{ url: A }, { url: B }] }],
		['images[]', { images: [A, B] }],
		['output[]', { output: [A, B] }],
		['outputs[]', { outputs: [{ url: A }, { url: B }] }],
		['image_url list', { image_url: [A, B] }],
	])('finds result images in %s', (_where, shape) => {
		for (const status of ['completed', 'succeeded', 'success', 'SUCCEEDED']) {
			const snapshot = normaliseTaskAnswer({ id: 'task_1', status, ...shape });
			expect(snapshot.state).toBe('succeeded');
			expect(snapshot.images).toEqual([{ url: A }, { url: B }]);
		}
	});

	it('finds a single image_url or url string', () => {
		expect(normaliseTaskAnswer({ status: 'completed', image_url: A }).images).toEqual([{ url: A }]);
		expect(normaliseTaskAnswer({ status: 'completed', url: A }).images).toEqual([{ url: A }]);
	});

	it('unwraps a task wrapped in data', () => {
		expect(
			normaliseTaskAnswer({
				code: 0,
				data: { task_id: 'task_2', status: 'completed', result: { outputs: [A] } },
			}),
		).toMatchObject({
			taskId: 'task_2',
			state: 'succeeded',
			images: [{ url: A }],
		});
	});

	it.each([
		[{ status: 'failed', error: 'boom' }, { message: 'boom' }],
		[
			{ status: 'error', error: { code: 'content_policy_violation', message: 'unsafe' } },
			{ code: 'content_policy_violation', message: 'unsafe' },
		],
		[{ status: 'cancelled' }, { message: 'no reason given' }],
		[{ status: 'canceled', fail_reason: 'user' }, { message: 'user' }],
		[{ status: 'expired' }, { message: 'no reason given' }],
	])('reports failure %j', (body, error) => {
		expect(normaliseTaskAnswer(body)).toMatchObject({ state: 'failed', error });
	});

	it.each(['queued', 'in_progress', 'failed'])('ignores image URLs a %s task echoes', (status) => {
		expect(normaliseTaskAnswer({ task_id: 't', status, image_url: [A, B] }).images).toEqual([]);
	});

	it('unwraps a running task wrapped in data', () => {
		expect(
			normaliseTaskAnswer({ data: { task_id: 'task_3', status: 'in_progress', progress: 40 } }),
		).toMatchObject({ taskId: 'task_3', state: 'running', progress: 40 });
	});

	it.each([
		[{ resolution: '4K', model: 'gpt-image-2' }, '4K', 'gpt-image-2'],
		[{ resolution: '2k' }, '2K', undefined],
		[{ size: '3840x2160' }, '4K', undefined],
		[{ request: { resolution: '2K', model: 'gpt-image-2-origin' } }, '2K', 'gpt-image-2-origin'],
		[{ input: { size: '1024x1024' } }, '1K', undefined],
		[{ resolution: '16K', size: '1234x567' }, undefined, undefined],
	])('reads the tier and model a task reports: %j', (fields, resolution, model) => {
		const snapshot = normaliseTaskAnswer({
			status: 'completed',
			result: { outputs: [A] },
			...fields,
		});
		expect([snapshot.reportedResolution, snapshot.reportedModel]).toEqual([resolution, model]);
	});

	it('a status word it does not know is never a result, even with images; no status at all lets images decide', () => {
		expect(normaliseTaskAnswer({ status: 'warming_up' }).state).toBe('unknown');
		expect(normaliseTaskAnswer({ status: 'done', images: [A] })).toMatchObject({
			state: 'unknown',
			images: [],
		});
		expect(normaliseTaskAnswer({ images: [A] })).toMatchObject({
			state: 'succeeded',
			images: [{ url: A }],
		});
	});
});

describe('New API-style task words (upper case, fail_reason)', () => {
	it.each(['NOT_START', 'SUBMITTED', 'QUEUED', 'IN_PROGRESS', 'UNKNOWN'])(
		'%s is still running, and the references it echoes are not results',
		(status) => {
			expect(
				normaliseTaskAnswer({ data: { task_id: 't', status, image_url: [A], progress: '10%' } }),
			).toMatchObject({ state: 'running', images: [], progress: 10 });
			expect(normaliseGenerationAnswer({ task_id: 't', status, image_url: [A] })).toEqual({
				kind: 'task',
				taskId: 't',
				status,
				progress: undefined,
			});
		},
	);

	it('SUCCESS is done, FAILURE failed with its fail_reason', () => {
		expect(
			normaliseTaskAnswer({ code: 'success', data: { status: 'SUCCESS', image_url: [A] } }),
		).toMatchObject({ state: 'succeeded', images: [{ url: A }] });
		expect(
			normaliseTaskAnswer({
				code: 'success',
				message: '',
				data: { status: 'FAILURE', fail_reason: 'upstream timeout' },
			}),
		).toMatchObject({ state: 'failed', error: { message: 'upstream timeout' } });
	});

	it.each([
		[{ status: 'failed', error: null, fail_reason: 'quota' }, 'quota'],
		[{ status: 'FAILURE', error: { reason: 'nsfw' } }, 'nsfw'],
		[{ status: 'failed', error_message: 'boom' }, 'boom'],
		[{ status: 'failed', msg: 'bad' }, 'bad'],
	])('reads the reason of %j', (body, message) => {
		expect(normaliseTaskAnswer(body).error?.message).toBe(message);
	});

	it('a POST answer that says failed carries its reason', () => {
		expect(
			normaliseGenerationAnswer({ task_id: 'task_f', status: 'FAILURE', fail_reason: 'no credit' }),
		).toMatchObject({ kind: 'task', taskId: 'task_f', failed: { message: 'no credit' } });
	});
});

describe('what a task answer tells of its request (Get Task fills the item from it)', () => {
	it('reads prompt, aspect ratio and generation mode at the top or under input', () => {
		const done = { task_id: 't', status: 'completed', data: [{ url: A }] };
		expect(
			normaliseTaskAnswer({
				...done,
				input: { prompt: ' a fox ', aspect_ratio: '16:9', generation_mode: 'image_to_image' },
			}),
		).toMatchObject({
			reportedPrompt: 'a fox',
			reportedAspectRatio: '16:9',
			reportedOperation: 'imageToImage',
		});
		expect(
			normaliseTaskAnswer({ ...done, prompt: 'x', generation_mode: 'text_to_image' }),
		).toMatchObject({ reportedPrompt: 'x', reportedOperation: 'textToImage' });
	});

	it('leaves out what it does not tell, or tells in words the node does not know', () => {
		const snapshot = normaliseTaskAnswer({
			task_id: 't',
			status: 'completed',
			data: [{ url: A }],
			aspect_ratio: '5:4',
			generation_mode: 'video',
		});
		expect(snapshot.reportedPrompt).toBeUndefined();
		expect(snapshot.reportedAspectRatio).toBeUndefined();
		expect(snapshot.reportedOperation).toBeUndefined();
	});
});
