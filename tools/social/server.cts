/**
 * Stand-ins of where users post images, for the e2e chains (UniAll → Telegram / HTTP Request):
 * - Telegram Bot API `POST /bot<token>/sendPhoto` (multipart), enforcing the documented sendPhoto
 *   limits: 10 MB, width + height ≤ 10000, ratio ≤ 20. Answers in Telegram's shape
 *   (`{ok:true,result:{…}}` / `{ok:false,error_code,description}`; the exact descriptions Telegram
 *   uses for these refusals are not documented, these are its usual wording).
 * - An X-style media upload `POST /2/media/upload` (multipart field `media`) refusing files over 5 MB.
 * Every upload is recorded (file name, MIME type, bytes) so tests can check what arrived. Dev
 * tooling only; binds 127.0.0.1.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { sniffImage } from '../../nodes/UniAllGptImage2/helpers/imageInfo';

export const TELEGRAM_PHOTO_LIMITS = { bytes: 10 * 1024 * 1024, sides: 10_000, ratio: 20 };
export const X_MEDIA_LIMIT_BYTES = 5 * 1024 * 1024;

export interface Upload {
	route: 'telegram' | 'x';
	/** The multipart field name, the file's name and MIME type as sent. */
	field: string;
	fileName: string;
	mimeType: string;
	bytes: Buffer;
	/** Other form fields (chat_id, …). */
	fields: Record<string, string>;
	status: number;
}

export interface SocialStandIn {
	url: string;
	uploads: Upload[];
	close(): Promise<void>;
}

interface Answer {
	status: number;
	json: unknown;
}

type Part = { field: string; fileName: string; mimeType: string; bytes: Buffer };

/** Multipart parsing by undici's Request (Node's own fetch): no hand-written parser to trust. */
async function readForm(
	req: http.IncomingMessage,
	body: Buffer,
): Promise<{ files: Part[]; fields: Record<string, string> }> {
	const form = await new Request('http://social.local/', {
		method: 'POST',
		headers: { 'content-type': String(req.headers['content-type'] ?? '') },
		body,
	}).formData();
	const files: Part[] = [];
	const fields: Record<string, string> = {};
	for (const [field, value] of form.entries()) {
		if (typeof value === 'string') fields[field] = value;
		else
			files.push({
				field,
				fileName: value.name,
				mimeType: value.type,
				bytes: Buffer.from(await value.arrayBuffer()),
			});
	}
	return { files, fields };
}

const telegramError = (status: number, description: string): Answer => ({
	status,
	json: { ok: false, error_code: status, description },
});

function sendPhoto(photo: Part | undefined, fields: Record<string, string>, n: number): Answer {
	if (!photo) return telegramError(400, 'Bad Request: there is no photo in the request');
	if (photo.bytes.length > TELEGRAM_PHOTO_LIMITS.bytes)
		return telegramError(400, 'Bad Request: file is too big');
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
			},
		},
	};
}

function mediaUpload(media: Part | undefined, n: number): Answer {
	if (!media) return { status: 400, json: { errors: [{ message: 'media is required' }] } };
	if (media.bytes.length > X_MEDIA_LIMIT_BYTES)
		return {
			status: 413,
			json: { errors: [{ message: `File size exceeds ${X_MEDIA_LIMIT_BYTES} bytes.` }] },
		};
	return {
		status: 200,
		json: { media_id_string: String(1_000_000 + n), size: media.bytes.length },
	};
}

export async function startSocialStandIn(): Promise<SocialStandIn> {
	const uploads: Upload[] = [];
	const server = http.createServer((req, res) => {
		void (async () => {
			const chunks: Buffer[] = [];
			for await (const chunk of req) chunks.push(chunk as Buffer);
			const path = new URL(req.url ?? '/', 'http://social.local').pathname;
			let answer: Answer = { status: 404, json: { ok: false, error_code: 404 } };
			const route = /^\/bot[^/]+\/sendPhoto$/.test(path)
				? 'telegram'
				: path === '/2/media/upload'
					? 'x'
					: undefined;
			if (req.method === 'POST' && route) {
				const { files, fields } = await readForm(req, Buffer.concat(chunks));
				const file = files.find((f) => f.field === (route === 'telegram' ? 'photo' : 'media'));
				answer =
					route === 'telegram'
						? sendPhoto(file, fields, uploads.length + 1)
						: mediaUpload(file, uploads.length + 1);
				if (file) uploads.push({ route, ...file, fields, status: answer.status });
			}
			res.writeHead(answer.status, { 'Content-Type': 'application/json' });
			res.end(JSON.stringify(answer.json));
		})().catch((error: Error) => {
			res.writeHead(500, { 'Content-Type': 'application/json' });
			res.end(JSON.stringify({ ok: false, error_code: 500, description: error.message }));
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		uploads,
		close: async () => {
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}
