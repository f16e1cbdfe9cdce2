/**
 * A WordPress REST API stand-in (`/wp-json/wp/v2`), the part image workflows use: create a post
 * (n8n's WordPress node), upload media (a raw file body with `Content-Disposition: attachment;
 * filename=…`, as n8n's HTTP Request sends one, or a multipart `file`), and set a post's
 * `featured_media` (query string or JSON). Basic auth with an application password, as n8n's
 * WordPress credential sends it. Answers and error codes in WordPress's shape; like WordPress, the
 * media's `mime_type` is what the bytes are, whatever the file name says.
 */
import { sniffImage } from '../../nodes/UniAllGptImage2/helpers/imageInfo';
import type { Answer, ReadRequest, Upload } from './requests.cjs';

export const WORDPRESS_LOGIN = { username: 'editor', password: 'app pass word 1234' };

export interface WordPressPost {
	id: number;
	title: string;
	content: string;
	status: string;
	featured_media: number;
}

export interface WordPressMedia {
	id: number;
	fileName: string;
	mimeType: string;
	source_url: string;
}

export interface WordPressState {
	posts: Map<number, WordPressPost>;
	media: Map<number, WordPressMedia>;
}

const wpError = (status: number, code: string, message: string): Answer => ({
	status,
	json: { code, message, data: { status } },
});

const postJson = (post: WordPressPost, base: string) => ({
	id: post.id,
	status: post.status,
	link: `${base}/?p=${post.id}`,
	title: { raw: post.title, rendered: post.title },
	content: { raw: post.content, rendered: post.content },
	featured_media: post.featured_media,
});

function authorised(request: ReadRequest): boolean {
	const { username, password } = WORDPRESS_LOGIN;
	const expected = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
	return request.headers.authorization === expected;
}

/** The file of a media upload: a multipart `file`, or the raw body named by Content-Disposition. */
function mediaFile(request: ReadRequest): Omit<Upload, 'route' | 'status' | 'fields'> | Answer {
	const part = request.files.find((f) => f.field === 'file');
	if (part) return { ...part, source: 'file' };
	if (request.raw.length === 0) return wpError(400, 'rest_upload_no_data', 'No data supplied.');
	const disposition = String(request.headers['content-disposition'] ?? '');
	const fileName = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition)?.[1];
	if (!fileName)
		return wpError(400, 'rest_upload_no_content_disposition', 'No Content-Disposition supplied.');
	return {
		field: 'body',
		fileName: decodeURIComponent(fileName),
		mimeType: String(request.headers['content-type'] ?? ''),
		bytes: request.raw,
		source: 'file',
	};
}

/** Answers a `/wp-json/wp/v2/…` request; media uploads are recorded in `uploads`. */
export function wordpressAnswer(
	request: ReadRequest,
	state: WordPressState,
	uploads: Upload[],
	base: string,
): Answer {
	if (!authorised(request))
		return wpError(401, 'rest_cannot_create', 'Sorry, you are not allowed to do that.');
	const route = request.path.replace(/^\/wp-json\/wp\/v2/, '');
	const fields = { ...request.fields, ...Object.fromEntries(request.query) };
	if (request.method === 'POST' && route === '/posts') {
		const id = 100 + state.posts.size + 1;
		const post = {
			id,
			title: fields.title ?? '',
			content: fields.content ?? '',
			status: fields.status ?? 'draft',
			featured_media: 0,
		};
		state.posts.set(id, post);
		return { status: 201, json: postJson(post, base) };
	}
	const postId = /^\/posts\/(\d+)$/.exec(route)?.[1];
	if (request.method === 'POST' && postId) {
		const post = state.posts.get(Number(postId));
		if (!post) return wpError(404, 'rest_post_invalid_id', 'Invalid post ID.');
		if (fields.featured_media !== undefined) {
			const mediaId = Number(fields.featured_media);
			if (mediaId !== 0 && !state.media.has(mediaId))
				return wpError(400, 'rest_invalid_featured_media', 'Invalid featured media ID.');
			post.featured_media = mediaId;
		}
		return { status: 200, json: postJson(post, base) };
	}
	if (request.method === 'POST' && route === '/media') {
		const file = mediaFile(request);
		if ('status' in file) return file;
		const info = sniffImage(file.bytes);
		const recorded = (status: number) =>
			uploads.push({ route: 'wordpress', ...file, fields, status });
		if (!info) {
			recorded(500);
			return wpError(
				500,
				'rest_upload_sideload_error',
				'Sorry, you are not allowed to upload this file type.',
			);
		}
		const id = 500 + state.media.size + 1;
		const media = {
			id,
			fileName: file.fileName,
			mimeType: info.mimeType,
			source_url: `${base}/wp-content/uploads/${encodeURIComponent(file.fileName)}`,
		};
		state.media.set(id, media);
		recorded(201);
		return {
			status: 201,
			json: {
				id,
				type: 'attachment',
				media_type: 'image',
				mime_type: info.mimeType,
				source_url: media.source_url,
				media_details: { width: info.width, height: info.height, filesize: file.bytes.length },
			},
		};
	}
	return wpError(404, 'rest_no_route', 'No route was found matching the URL and request method.');
}
