import sharp from 'sharp';

import {
	IMGBB_KEY,
	WORDPRESS_LOGIN,
	startSocialStandIn,
	type SocialStandIn,
} from '../../tools/social/server.cjs';

/** The Telegram / X / WordPress / imgbb stand-ins the e2e chains post to: limits enforced, uploads recorded. */
let social: SocialStandIn;
beforeAll(async () => {
	social = await startSocialStandIn();
});
afterAll(async () => await social.close());
beforeEach(() => {
	social.reset();
});

const jpeg = async (width: number, height: number) =>
	await sharp({ create: { width, height, channels: 3, background: '#3a6' } })
		.jpeg()
		.toBuffer();

async function post(path: string, field: string, bytes: Buffer, fileName = 'a.jpg') {
	const form = new FormData();
	form.set('chat_id', '42');
	form.set(field, new Blob([bytes], { type: 'image/jpeg' }), fileName);
	const res = await fetch(`${social.url}${path}`, { method: 'POST', body: form });
	return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

describe('Telegram sendPhoto stand-in', () => {
	it('accepts a photo within the limits and records it whole', async () => {
		const bytes = await jpeg(1280, 720);
		const answer = await post('/bot123:abc/sendPhoto', 'photo', bytes, 'row1.jpg');
		expect(answer).toMatchObject({
			status: 200,
			json: { ok: true, result: { chat: { id: 42 }, photo: [{ width: 1280, height: 720 }] } },
		});
		expect(social.uploads).toHaveLength(1);
		expect(social.uploads[0]).toMatchObject({
			fileName: 'row1.jpg',
			mimeType: 'image/jpeg',
			fields: { chat_id: '42' },
		});
		expect(social.uploads[0].bytes.equals(bytes)).toBe(true);
	});

	it.each([
		[
			'over 10 MB',
			Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.alloc(10 * 1024 * 1024)]),
			'file is too big',
		],
	])('refuses a photo %s like Telegram', async (_what, bytes, description) => {
		const answer = await post('/botX/sendPhoto', 'photo', bytes);
		expect(answer).toEqual({
			status: 400,
			json: { ok: false, error_code: 400, description: `Bad Request: ${description}` },
		});
	});

	it('refuses width + height over 10000 and a ratio over 20', async () => {
		for (const [w, h] of [
			[6000, 4100],
			[4200, 200],
		]) {
			const answer = await post('/botX/sendPhoto', 'photo', await jpeg(w, h));
			expect(answer.json).toMatchObject({
				ok: false,
				description: 'Bad Request: PHOTO_INVALID_DIMENSIONS',
			});
		}
		expect((await post('/botX/sendPhoto', 'photo', await jpeg(4000, 200))).status).toBe(200);
	});
});

describe('X-style media upload stand-in', () => {
	it('takes up to 5 MB and refuses more with 413', async () => {
		expect((await post('/2/media/upload', 'media', await jpeg(640, 480))).status).toBe(200);
		const big = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.alloc(5 * 1024 * 1024)]);
		expect(await post('/2/media/upload', 'media', big)).toMatchObject({
			status: 413,
			json: { errors: [{ message: 'File size exceeds 5242880 bytes.' }] },
		});
	});
});

const png = async (width: number, height: number) =>
	await sharp({ create: { width, height, channels: 3, background: '#36a' } })
		.png()
		.toBuffer();

async function postJson(path: string, body: unknown, headers: Record<string, string> = {}) {
	const res = await fetch(`${social.url}${path}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', ...headers },
		body: JSON.stringify(body),
	});
	return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

describe('Telegram sendPhoto by URL', () => {
	it('fetches the photo as Telegram does and records what it got, with the caption', async () => {
		const bytes = await png(800, 600);
		const form = new FormData();
		form.set('image', new Blob([bytes], { type: 'image/png' }), 'hosted.png');
		const hosted = (await (
			await fetch(`${social.url}/1/upload?key=${IMGBB_KEY}`, { method: 'POST', body: form })
		).json()) as { data: { image: { url: string } } };
		social.uploads.length = 0;

		const answer = await postJson('/botX/sendPhoto', {
			chat_id: 7,
			photo: hosted.data.image.url,
			caption: 'a fox',
		});
		expect(answer).toMatchObject({ status: 200, json: { ok: true, result: { caption: 'a fox' } } });
		expect(social.uploads).toHaveLength(1);
		expect(social.uploads[0]).toMatchObject({
			route: 'telegram',
			source: 'url',
			fileName: 'hosted.png',
			mimeType: 'image/png',
			fields: { chat_id: '7', caption: 'a fox' },
		});
		expect(social.uploads[0].bytes.equals(bytes)).toBe(true);
	});

	it('refuses a URL it cannot fetch, and a photo over 5 MB by URL', async () => {
		expect(
			await postJson('/botX/sendPhoto', { chat_id: 7, photo: `${social.url}/i/none/x.png` }),
		).toMatchObject({
			status: 400,
			json: { description: 'Bad Request: wrong file identifier/HTTP URL specified' },
		});
		const big = Buffer.concat([await png(64, 64), Buffer.alloc(5 * 1024 * 1024)]);
		const form = new FormData();
		form.set('image', new Blob([big], { type: 'image/png' }), 'big.png');
		const hosted = (await (
			await fetch(`${social.url}/1/upload?key=${IMGBB_KEY}`, { method: 'POST', body: form })
		).json()) as { data: { url: string } };
		expect(await postJson('/botX/sendPhoto', { chat_id: 7, photo: hosted.data.url })).toMatchObject(
			{ status: 400, json: { description: 'Bad Request: file is too big' } },
		);
	});

	it('refuses a photo sent without a chat_id or to a chat that is not a number or @username', async () => {
		const answer = await post('/botX/sendPhoto', 'photo', await jpeg(64, 64));
		expect(answer.status).toBe(200);
		const form = new FormData();
		form.set('photo', new Blob([await jpeg(64, 64)], { type: 'image/jpeg' }), 'a.jpg');
		const res = await fetch(`${social.url}/botX/sendPhoto`, { method: 'POST', body: form });
		expect([res.status, await res.json()]).toEqual([
			400,
			{ ok: false, error_code: 400, description: 'Bad Request: chat_id is empty' },
		]);
		form.set('chat_id', 'undefined');
		const notFound = await fetch(`${social.url}/botX/sendPhoto`, { method: 'POST', body: form });
		expect([notFound.status, await notFound.json()]).toEqual([
			400,
			{ ok: false, error_code: 400, description: 'Bad Request: chat not found' },
		]);
	});
});

describe('WordPress REST stand-in', () => {
	const { username, password } = WORDPRESS_LOGIN;
	const auth = {
		authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`,
	};
	const upload = async (bytes: Buffer, headers: Record<string, string>) => {
		const res = await fetch(`${social.url}/wp-json/wp/v2/media`, {
			method: 'POST',
			headers: { ...auth, ...headers },
			body: bytes,
		});
		return { status: res.status, json: (await res.json()) as Record<string, unknown> };
	};

	it('refuses calls without the application password', async () => {
		expect(await postJson('/wp-json/wp/v2/posts', { title: 'x' })).toMatchObject({
			status: 401,
			json: { code: 'rest_cannot_create' },
		});
	});

	it('creates a post, takes a raw media upload whole, and sets it as the featured image', async () => {
		const post = await postJson('/wp-json/wp/v2/posts', { title: 'Hello', status: 'draft' }, auth);
		expect(post).toMatchObject({
			status: 201,
			json: { title: { rendered: 'Hello' }, featured_media: 0 },
		});
		const bytes = await jpeg(640, 360);
		const media = await upload(bytes, {
			'content-type': 'image/jpeg',
			'content-disposition': 'attachment; filename="cover-image-1.jpeg"',
		});
		expect(media).toMatchObject({
			status: 201,
			json: { mime_type: 'image/jpeg', media_details: { width: 640, height: 360 } },
		});
		expect(social.uploads[0]).toMatchObject({
			route: 'wordpress',
			field: 'body',
			fileName: 'cover-image-1.jpeg',
			mimeType: 'image/jpeg',
			status: 201,
		});
		expect(social.uploads[0].bytes.equals(bytes)).toBe(true);

		const url = `/wp-json/wp/v2/posts/${post.json.id}?featured_media=${media.json.id}`;
		expect(await postJson(url, {}, auth)).toMatchObject({
			status: 200,
			json: { featured_media: media.json.id },
		});
		expect(social.wordpress.posts.get(post.json.id as number)?.featured_media).toBe(media.json.id);
	});

	it("reports the bytes' type, not the file name's (a PNG named .jpeg)", async () => {
		const media = await upload(await png(64, 64), {
			'content-type': 'image/jpeg',
			'content-disposition': 'attachment; filename="cover.jpeg"',
		});
		expect(media.json.mime_type).toBe('image/png');
	});

	it('refuses a body without Content-Disposition, a non-image, an unknown media or post id', async () => {
		expect(await upload(await png(8, 8), { 'content-type': 'image/png' })).toMatchObject({
			status: 400,
			json: { code: 'rest_upload_no_content_disposition' },
		});
		expect(
			await upload(Buffer.from('not an image'), {
				'content-disposition': 'attachment; filename="a.png"',
			}),
		).toMatchObject({ status: 500, json: { code: 'rest_upload_sideload_error' } });
		const post = await postJson('/wp-json/wp/v2/posts', { title: 'x' }, auth);
		expect(
			await postJson(`/wp-json/wp/v2/posts/${post.json.id}?featured_media=999`, {}, auth),
		).toMatchObject({ status: 400, json: { code: 'rest_invalid_featured_media' } });
		expect(await postJson('/wp-json/wp/v2/posts/9999', { featured_media: 0 }, auth)).toMatchObject({
			status: 404,
			json: { code: 'rest_post_invalid_id' },
		});
	});
});

describe('imgbb-style upload stand-in', () => {
	it('takes a multipart file, records it whole and serves it at data.url', async () => {
		const bytes = await png(320, 200);
		const form = new FormData();
		form.set('key', IMGBB_KEY);
		form.set('image', new Blob([bytes], { type: 'image/png' }), '2026-01-01_120000.png');
		const res = await fetch(`${social.url}/1/upload`, { method: 'POST', body: form });
		const json = (await res.json()) as {
			data: { url: string; image: { url: string; mime: string } };
		};
		expect(res.status).toBe(200);
		expect(json).toMatchObject({
			success: true,
			data: { width: 320, height: 200, image: { mime: 'image/png' } },
		});
		expect(social.uploads[0]).toMatchObject({
			route: 'imgbb',
			source: 'file',
			fileName: '2026-01-01_120000.png',
			mimeType: 'image/png',
		});
		const served = await fetch(json.data.image.url);
		expect(served.headers.get('content-type')).toBe('image/png');
		expect(Buffer.from(await served.arrayBuffer()).equals(bytes)).toBe(true);
	});

	it('takes a base64 string with the key in the query, and refuses a wrong key or a non-image', async () => {
		const bytes = await jpeg(100, 100);
		const form = new FormData();
		form.set('image', bytes.toString('base64'));
		const ok = await fetch(`${social.url}/1/upload?key=${IMGBB_KEY}&expiration=600`, {
			method: 'POST',
			body: form,
		});
		expect(ok.status).toBe(200);
		expect(social.uploads[0]).toMatchObject({ source: 'base64', fields: { expiration: '600' } });
		expect(social.uploads[0].bytes.equals(bytes)).toBe(true);

		const wrongKey = await fetch(`${social.url}/1/upload?key=nope`, { method: 'POST', body: form });
		expect([wrongKey.status, ((await wrongKey.json()) as { error: unknown }).error]).toEqual([
			400,
			{ message: 'Invalid API v1 key.' },
		]);
		const text = new FormData();
		text.set('image', Buffer.from('hello').toString('base64'));
		const refused = await fetch(`${social.url}/1/upload?key=${IMGBB_KEY}`, {
			method: 'POST',
			body: text,
		});
		expect(refused.status).toBe(400);
	});
});
