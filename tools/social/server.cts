/**
 * Stand-ins of where users post images, for the e2e chains (UniAll → Telegram / HTTP Request /
 * WordPress / imgbb):
 * - Telegram Bot API `POST /bot<token>/sendPhoto`: a multipart `photo` file, or a `photo` URL
 *   (JSON or form) that it fetches as Telegram does. Enforces the documented sendPhoto limits
 *   (10 MB uploaded, 5 MB by URL, width + height ≤ 10000, ratio ≤ 20) and a `chat_id` that is a
 *   number or an @username (an expression that found nothing sends "undefined": chat not found).
 *   Answers in Telegram's shape (`{ok:true,result:{…}}` / `{ok:false,error_code,description}`;
 *   the exact descriptions Telegram uses for these refusals are not documented, these are its
 *   usual wording). Captions are recorded, not parsed (no MarkdownV2 check).
 * - An X-style media upload `POST /2/media/upload` (multipart field `media`) refusing files over 5 MB.
 * - WordPress's REST API (`wordpress.cts`) and an imgbb-style host (`imgbb.cts`), whose hosted
 *   images are served back at their URLs.
 * Every upload is recorded (file name, MIME type, bytes, fields) so tests can check what arrived.
 * Dev tooling only; binds 127.0.0.1.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

import { sniffImage } from '../../nodes/UniAllGptImage2/helpers/imageInfo';
import { imgbbAnswer, type HostedImage } from './imgbb.cjs';
import { readRequest, type Answer, type Part, type ReadRequest, type Upload } from './requests.cjs';
import { wordpressAnswer, type WordPressState } from './wordpress.cjs';

export type { Upload } from './requests.cjs';
export { IMGBB_KEY } from './imgbb.cjs';
export { WORDPRESS_LOGIN } from './wordpress.cjs';

export const TELEGRAM_PHOTO_LIMITS = {
	bytes: 10 * 1024 * 1024,
	urlBytes: 5 * 1024 * 1024,
	sides: 10_000,
	ratio: 20,
};
export const X_MEDIA_LIMIT_BYTES = 5 * 1024 * 1024;
/** A chat is a numeric ID or a public @username; anything else (e.g. "undefined") is not found. */
const CHAT_ID = /^(-?\d+|@\w{5,})$/;

export interface SocialStandIn {
	url: string;
	uploads: Upload[];
	wordpress: WordPressState;
	/** Clears the uploads, WordPress's posts and media, and the hosted images. */
	reset(): void;
	close(): Promise<void>;
}

const telegramError = (status: number, description: string): Answer => ({
	status,
	json: { ok: false, error_code: status, description },
});

function sendPhoto(
	photo: Part,
	fields: Record<string, string>,
	n: number,
	maxBytes: number,
): Answer {
	if (photo.bytes.length > maxBytes) return telegramError(400, 'Bad Request: file is too big');
	const info = sniffImage(photo.bytes);
	if (!info?.width || !info.height) return telegramError(400, 'Bad Request: IMAGE_PROCESS_FAILED');
	const { width, height } = info;
	if (
		width + height > TELEGRAM_PHOTO_LIMITS.sides ||
		Math.max(width / height, height / width) > TELEGRAM_PHOTO_LIMITS.ratio
	)
		return telegramError(400, 'Bad Request: PHOTO_INVALID_DIMENSIONS');
	return {
		status: 200,
		json: {
			ok: true,
			result: {
				message_id: n,
				chat: { id: Number(fields.chat_id) || fields.chat_id, type: 'private' },
				date: Math.floor(Date.now() / 1000),
				photo: [{ file_id: `photo-${n}`, width, height, file_size: photo.bytes.length }],
				...(fields.caption ? { caption: fields.caption } : {}),
			},
		},
	};
}

/** Telegram fetches a photo given by URL; what it got is recorded like an upload. */
async function fetchPhoto(url: string): Promise<Part | Answer> {
	const res = await fetch(url).catch(() => undefined);
	if (!res?.ok) return telegramError(400, 'Bad Request: wrong file identifier/HTTP URL specified');
	return {
		field: 'photo',
		fileName: path.posix.basename(new URL(url).pathname),
		mimeType: res.headers.get('content-type') ?? '',
		bytes: Buffer.from(await res.arrayBuffer()),
	};
}

async function telegramAnswer(request: ReadRequest, uploads: Upload[]): Promise<Answer> {
	const { fields } = request;
	const file = request.files.find((f) => f.field === 'photo');
	const byUrl = !file && fields.photo ? await fetchPhoto(fields.photo) : undefined;
	if (byUrl && 'status' in byUrl) return byUrl;
	const photo = file ?? byUrl;
	if (!photo) return telegramError(400, 'Bad Request: there is no photo in the request');
	const answer =
		fields.chat_id === undefined || fields.chat_id === ''
			? telegramError(400, 'Bad Request: chat_id is empty')
			: !CHAT_ID.test(fields.chat_id)
				? telegramError(400, 'Bad Request: chat not found')
				: sendPhoto(
						photo,
						fields,
						uploads.length + 1,
						byUrl ? TELEGRAM_PHOTO_LIMITS.urlBytes : TELEGRAM_PHOTO_LIMITS.bytes,
					);
	uploads.push({
		route: 'telegram',
		...photo,
		source: byUrl ? 'url' : 'file',
		fields,
		status: answer.status,
	});
	return answer;
}

function xAnswer(request: ReadRequest, uploads: Upload[]): Answer {
	const media = request.files.find((f) => f.field === 'media');
	if (!media) return { status: 400, json: { errors: [{ message: 'media is required' }] } };
	const answer: Answer =
		media.bytes.length > X_MEDIA_LIMIT_BYTES
			? {
					status: 413,
					json: { errors: [{ message: `File size exceeds ${X_MEDIA_LIMIT_BYTES} bytes.` }] },
				}
			: {
					status: 200,
					json: {
						media_id_string: String(1_000_000 + uploads.length + 1),
						size: media.bytes.length,
					},
				};
	uploads.push({
		route: 'x',
		...media,
		source: 'file',
		fields: request.fields,
		status: answer.status,
	});
	return answer;
}

export async function startSocialStandIn(): Promise<SocialStandIn> {
	const uploads: Upload[] = [];
	const wordpress: WordPressState = { posts: new Map(), media: new Map() };
	const hosted = new Map<string, HostedImage>();
	let base = '';
	const answer = async (request: ReadRequest): Promise<Answer> => {
		const { method, path: route } = request;
		if (route.startsWith('/wp-json/wp/v2/'))
			return wordpressAnswer(request, wordpress, uploads, base);
		if (method !== 'POST') return { status: 404, json: { ok: false, error_code: 404 } };
		if (/^\/bot[^/]+\/sendPhoto$/.test(route)) return await telegramAnswer(request, uploads);
		if (route === '/2/media/upload') return xAnswer(request, uploads);
		if (route === '/1/upload') return imgbbAnswer(request, hosted, uploads, base);
		return { status: 404, json: { ok: false, error_code: 404 } };
	};
	const server = http.createServer((req, res) => {
		void (async () => {
			const image =
				req.method === 'GET' ? hosted.get(new URL(req.url ?? '/', base).pathname) : undefined;
			if (image) {
				res.writeHead(200, { 'Content-Type': image.mimeType });
				res.end(image.bytes);
				return;
			}
			const { status, json } = await answer(await readRequest(req));
			res.writeHead(status, { 'Content-Type': 'application/json' });
			res.end(JSON.stringify(json));
		})().catch((error: Error) => {
			res.writeHead(500, { 'Content-Type': 'application/json' });
			res.end(JSON.stringify({ ok: false, error_code: 500, description: error.message }));
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	base = `http://127.0.0.1:${port}`;
	return {
		url: base,
		uploads,
		wordpress,
		reset: () => {
			uploads.length = 0;
			wordpress.posts.clear();
			wordpress.media.clear();
			hosted.clear();
		},
		close: async () => {
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}
