import sharp from 'sharp';

import { startSocialStandIn, type SocialStandIn } from '../../tools/social/server.cjs';

/** The Telegram / X-style stand-ins the e2e chains post to: limits enforced, uploads recorded. */
let social: SocialStandIn;
beforeAll(async () => {
	social = await startSocialStandIn();
});
afterAll(async () => await social.close());
beforeEach(() => {
	social.uploads.length = 0;
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
