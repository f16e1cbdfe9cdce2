/**
 * Where users post the images (issue 19 §3), proven with n8n's own nodes in a real n8n:
 * rows → UniAll (4K) → Telegram "Send Photo" (binary) and HTTP Request (multipart, X-style), each
 * against a local stand-in that enforces the platform's limit; an Instagram-style branch with
 * Download Images off; and Edit Image (GraphicsMagick) converting a PNG from a gateway that
 * ignores Output Format. The PNG runs are the same chains without Output Format: they must be
 * refused, so the JPEG runs prove the option is what makes the images fit.
 */
import { startSocialStandIn, type SocialStandIn } from '../../tools/social/server.cjs';
import { sniffImage } from '../../nodes/UniAllGptImage2/helpers/imageInfo';
import { useRealN8n } from './realN8nSession.cjs';
import { graph, rowTextToImage, trigger, uniall } from './workflows.cjs';
import { csvRows, node, readFile } from '../../tools/n8n/workflow.cjs';

const session = useRealN8n({ mode: 'sync-url', latencyMs: 0 });
const { good, csv, runWorkflow } = session;
const telegramCredential = { id: 'uniallE2eTgram01', name: 'Telegram stand-in' };

let social: SocialStandIn;
beforeAll(async () => {
	social = await startSocialStandIn();
	await session.n8n.importCredentials([
		{
			...telegramCredential,
			type: 'telegramApi',
			data: { accessToken: '123456:test-token', baseUrl: social.url },
		},
	]);
});
afterAll(async () => await social?.close());
beforeEach(() => {
	social.uploads.length = 0;
});

const telegram = () =>
	node(
		'Telegram',
		'n8n-nodes-base.telegram',
		1.2,
		{
			resource: 'message',
			operation: 'sendPhoto',
			chatId: '4242',
			binaryData: true,
			binaryPropertyName: 'data',
			additionalFields: {},
		},
		{ credentials: { telegramApi: telegramCredential }, onError: 'continueRegularOutput' },
	);

const xUpload = () =>
	node(
		'X Upload',
		'n8n-nodes-base.httpRequest',
		4.2,
		{
			method: 'POST',
			url: `${social.url}/2/media/upload`,
			sendBody: true,
			contentType: 'multipart-form-data',
			bodyParameters: {
				parameters: [
					{ parameterType: 'formBinaryData', name: 'media', inputDataFieldName: 'data' },
				],
			},
			options: {},
		},
		{ onError: 'continueRegularOutput' },
	);

/** One 4K 16:9 row → UniAll (with `options`) → Telegram and X Upload; Rows → an Instagram-style UniAll (URL only). */
function postingWorkflow(tag: string, options: Record<string, unknown>) {
	const rows = csv(tag, 'prompt', ['a poster of a lighthouse at dusk']);
	const params = (extra: Record<string, unknown>) =>
		rowTextToImage({ ...options, ...extra }, { aspectRatio: '16:9', resolution: '4K' });
	return graph(
		`e2e social ${tag}`,
		[
			trigger(),
			readFile(rows),
			csvRows(),
			uniall(params({}), good, { name: 'UniAll' }),
			uniall(params({ downloadImages: false }), good, { name: 'Instagram URL' }),
			telegram(),
			xUpload(),
		],
		[
			['Start', 'Read File'],
			['Read File', 'Rows'],
			['Rows', 'UniAll'],
			['Rows', 'Instagram URL'],
			['UniAll', 'Telegram'],
			['UniAll', 'X Upload'],
		],
	);
}

async function contentTypeOf(url: string): Promise<{ type: string | null; bytes: Buffer }> {
	const res = await fetch(url);
	return { type: res.headers.get('content-type'), bytes: Buffer.from(await res.arrayBuffer()) };
}

describe('posting a 4K image', () => {
	it('Output Format JPEG: Telegram and the X-style upload take it whole; the Instagram URL is a JPEG', async () => {
		const result = await runWorkflow(postingWorkflow('jpeg', { outputFormat: 'jpeg' }));
		expect(result.error).toBeUndefined();
		const [image] = result.items('UniAll');
		expect(image.json).toMatchObject({ mimeType: 'image/jpeg', width: 3840, height: 2160 });
		const sent = session.api.fileBytes(image.json.imageUrl as string) as Buffer;

		const [photo] = social.uploads.filter((u) => u.route === 'telegram');
		expect(photo).toMatchObject({
			status: 200,
			fileName: expect.stringMatching(/^gpt-image-2-\d+-item0-0\.jpg$/),
			mimeType: 'image/jpeg',
			fields: expect.objectContaining({ chat_id: '4242' }),
		});
		expect(photo.bytes.equals(sent)).toBe(true);
		expect(result.items('Telegram')[0].json).toMatchObject({ ok: true });

		const [media] = social.uploads.filter((u) => u.route === 'x');
		expect(media).toMatchObject({ status: 200, fileName: photo.fileName });
		expect(media.bytes.equals(sent)).toBe(true);
		expect(result.items('X Upload')[0].json).toMatchObject({ media_id_string: expect.any(String) });

		// Instagram publishes from a public URL and takes JPEG only.
		const [linked] = result.items('Instagram URL');
		expect(linked.binary).toBeUndefined();
		const fetched = await contentTypeOf(linked.json.imageUrl as string);
		expect(fetched.type).toBe('image/jpeg');
		expect(sniffImage(fetched.bytes)?.mimeType).toBe('image/jpeg');
	});

	it('without Output Format (PNG, ~15 MB at 4K): both uploads are refused and the URL is a PNG', async () => {
		const result = await runWorkflow(postingWorkflow('png', {}));
		const [image] = result.items('UniAll');
		expect(image.json).toMatchObject({ mimeType: 'image/png', width: 3840, height: 2160 });
		expect(image.json.fileSize as number).toBeGreaterThan(10 * 1024 * 1024);
		expect(social.uploads.map((u) => [u.route, u.status])).toEqual(
			expect.arrayContaining([
				['telegram', 400],
				['x', 413],
			]),
		);
		expect(
			(await contentTypeOf(result.items('Instagram URL')[0].json.imageUrl as string)).type,
		).toBe('image/png');
	});
});

describe('when the API ignores Output Format', () => {
	it('Edit Image resizes and converts the PNG to a JPEG under 5 MB, which the X-style upload takes', async () => {
		session.api.configure({ ignoreOutputFormat: true });
		const rows = csv('edit-image', 'prompt', ['a poster of a lighthouse at dusk']);
		const editImage = node('Edit Image', 'n8n-nodes-base.editImage', 1, {
			operation: 'resize',
			dataPropertyName: 'data',
			width: 2560,
			height: 2560,
			resizeOption: 'onlyIfLarger',
			options: { format: 'jpeg', quality: 85 },
		});
		const wf = graph(
			'e2e social edit image',
			[
				trigger(),
				readFile(rows),
				csvRows(),
				uniall(
					rowTextToImage({ outputFormat: 'jpeg' }, { aspectRatio: '16:9', resolution: '4K' }),
					good,
					{ name: 'UniAll' },
				),
				editImage,
				xUpload(),
			],
			[
				['Start', 'Read File'],
				['Read File', 'Rows'],
				['Rows', 'UniAll'],
				['UniAll', 'Edit Image'],
				['Edit Image', 'X Upload'],
			],
		);
		const result = await runWorkflow(wf);
		expect(result.error).toBeUndefined();
		const [image] = result.items('UniAll');
		expect(image.json).toMatchObject({ mimeType: 'image/png' });
		expect(image.json.notice).toMatch(/Output Format was JPEG, but UniAll delivered image\/png/);
		expect(image.json.fileSize as number).toBeGreaterThan(5 * 1024 * 1024);

		const [media] = social.uploads;
		expect(media).toMatchObject({ route: 'x', status: 200, mimeType: 'image/jpeg' });
		expect(media.bytes.length).toBeLessThan(5 * 1024 * 1024);
		expect(sniffImage(media.bytes)).toMatchObject({ mimeType: 'image/jpeg', width: 2560 });
	});
});
