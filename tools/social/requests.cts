/**
 * What the social stand-ins share: the record of one upload, an answer, and the request body read
 * as form fields and files whatever its encoding (multipart and URL-encoded forms by undici's
 * Request, Node's own fetch: no hand-written parser to trust; JSON; a raw file body).
 */
import type http from 'node:http';

export type Route = 'telegram' | 'x' | 'wordpress' | 'imgbb';

export interface Upload {
	route: Route;
	/** The form field (or `body` for a raw file body), the file's name and MIME type as sent. */
	field: string;
	fileName: string;
	mimeType: string;
	bytes: Buffer;
	/** How the file came: a file part or raw body, a base64 form value, or a URL the service fetched. */
	source: 'file' | 'base64' | 'url';
	/** Other form or JSON fields (chat_id, caption, key, …) and the query string. */
	fields: Record<string, string>;
	status: number;
}

export interface Answer {
	status: number;
	json: unknown;
}

export type Part = { field: string; fileName: string; mimeType: string; bytes: Buffer };

export interface ReadRequest {
	path: string;
	method: string;
	query: URLSearchParams;
	headers: http.IncomingHttpHeaders;
	files: Part[];
	fields: Record<string, string>;
	/** The body as it came (a raw file upload). */
	raw: Buffer;
}

const FORM_TYPES = /^(multipart\/form-data|application\/x-www-form-urlencoded)/i;

export async function readRequest(req: http.IncomingMessage): Promise<ReadRequest> {
	const chunks: Buffer[] = [];
	for await (const chunk of req) chunks.push(chunk as Buffer);
	const raw = Buffer.concat(chunks);
	const url = new URL(req.url ?? '/', 'http://social.local');
	const type = String(req.headers['content-type'] ?? '');
	const files: Part[] = [];
	const fields: Record<string, string> = {};
	if (FORM_TYPES.test(type) && raw.length > 0) {
		const form = await new Request('http://social.local/', {
			method: 'POST',
			headers: { 'content-type': type },
			body: raw,
		}).formData();
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
	} else if (/^application\/json/i.test(type) && raw.length > 0) {
		for (const [field, value] of Object.entries(JSON.parse(raw.toString()) as object))
			fields[field] = typeof value === 'string' ? value : JSON.stringify(value);
	}
	return {
		path: url.pathname,
		method: req.method ?? 'GET',
		query: url.searchParams,
		headers: req.headers,
		files,
		fields,
		raw,
	};
}
