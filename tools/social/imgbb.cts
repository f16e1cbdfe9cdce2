/**
 * An imgbb-style image host (`POST /1/upload`, api.imgbb.com's v1): `key` in the query string or
 * the form, `image` as a file part or a base64 string, optional `name` and `expiration`. Answers
 * in imgbb's documented shape (`data.url`, `data.display_url`, `data.image.url`, …); the hosted
 * image is served at `data.url` so that a later node (Telegram's sendPhoto by URL) can fetch it.
 * imgbb's exact error codes are not documented: the refusals keep its shape and usual wording.
 */
import { sniffImage } from '../../nodes/UniAllGptImage2/helpers/imageInfo';
import type { Answer, ReadRequest, Upload } from './requests.cjs';

export const IMGBB_KEY = 'imgbb-test-key';

export interface HostedImage {
	mimeType: string;
	bytes: Buffer;
}

const imgbbError = (message: string): Answer => ({
	status: 400,
	json: { status_code: 400, error: { message }, status_txt: 'Bad Request' },
});

/** The image of an upload: a file part, or a base64 string (data: URL prefix allowed). */
function imageOf(request: ReadRequest): Omit<Upload, 'route' | 'status' | 'fields'> | undefined {
	const part = request.files.find((f) => f.field === 'image');
	if (part) return { ...part, source: 'file' };
	const text = request.fields.image;
	if (!text) return undefined;
	const b64 = text.replace(/^data:[^,]*,/, '');
	return {
		field: 'image',
		fileName: '',
		mimeType: '',
		bytes: Buffer.from(b64, 'base64'),
		source: 'base64',
	};
}

export function imgbbAnswer(
	request: ReadRequest,
	hosted: Map<string, HostedImage>,
	uploads: Upload[],
	base: string,
): Answer {
	const fields = { ...request.fields, ...Object.fromEntries(request.query) };
	if (fields.key !== IMGBB_KEY) return imgbbError('Invalid API v1 key.');
	const image = imageOf(request);
	if (!image) return imgbbError('Empty upload source.');
	const info = sniffImage(image.bytes);
	const record = (status: number) => uploads.push({ route: 'imgbb', ...image, fields, status });
	if (!info) {
		record(400);
		return imgbbError('Invalid image source.');
	}
	const id = `img${hosted.size + 1}`;
	const name = (fields.name || image.fileName.replace(/\.[^.]*$/, '') || id).replace(/\W+/g, '-');
	const fileName = `${name}.${info.extension}`;
	const url = `${base}/i/${id}/${fileName}`;
	hosted.set(`/i/${id}/${fileName}`, { mimeType: info.mimeType, bytes: image.bytes });
	record(200);
	return {
		status: 200,
		json: {
			data: {
				id,
				title: name,
				url_viewer: `${base}/v/${id}`,
				url,
				display_url: url,
				width: info.width,
				height: info.height,
				size: image.bytes.length,
				time: Math.floor(Date.now() / 1000),
				expiration: Number(fields.expiration ?? 0),
				image: { filename: fileName, name, mime: info.mimeType, extension: info.extension, url },
				delete_url: `${base}/v/${id}/delete`,
			},
			success: true,
			status: 200,
		},
	};
}
