import { useStandIn } from '../helpers/standIn';
import { credentialsFor } from '../helpers/credentials';
import { jpeg, png } from '../helpers/imageBytes.cjs';
import { runNode } from '../../tools/n8n/inProcess.cjs';
import { imageToImageParams } from '../helpers/parameters';

const api = useStandIn({ mode: 'sync-url' });

const params = imageToImageParams;

describe('Image to Image in a real n8n execution', () => {
	it('sends URL references as they are', async () => {
		const { items, error } = await runNode({
			credentials: credentialsFor(api.url),
			parameters: params([
				{ source: 'url', url: 'https://cdn.example.com/a.png' },
				{ source: 'url', url: 'https://cdn.example.com/b.jpg' },
			]),
		});
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({
			operation: 'imageToImage',
			generationMode: 'image_to_image',
			width: 1024,
			height: 1024,
		});
		expect(api.log.find((e) => e.route === 'generations')?.body).toMatchObject({
			generation_mode: 'image_to_image',
			image_url: ['https://cdn.example.com/a.png', 'https://cdn.example.com/b.jpg'],
		});
	});

	it('sends binary references from the previous node as data: URLs, read once each', async () => {
		const photo = png(64, 48, 200);
		const logo = jpeg(32, 32);
		const { items, error } = await runNode({
			credentials: credentialsFor(api.url),
			items: [
				{
					json: { sku: 'A1' },
					binary: {
						data: { data: photo, mimeType: 'image/png' },
						logo: { data: logo, mimeType: 'image/jpeg' },
					},
				},
			],
			parameters: params([
				{ source: 'binary', binaryPropertyName: 'data' },
				{ source: 'url', url: 'https://cdn.example.com/style.png' },
				{ source: 'binary', binaryPropertyName: 'logo' },
				{ source: 'binary', binaryPropertyName: 'data' },
			]),
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		const sent = (api.log.find((e) => e.route === 'generations')?.body as { image_url: string[] })
			.image_url;
		expect(sent).toEqual([
			`data:image/png;base64,${photo.toString('base64')}`,
			'https://cdn.example.com/style.png',
			`data:image/jpeg;base64,${logo.toString('base64')}`,
			`data:image/png;base64,${photo.toString('base64')}`,
		]);
	});

	// Issue 28: the count is in the description (minRequiredFields / maxAllowedFields), so n8n's
	// own parameter check flags it in the editor and refuses the workflow before any node runs.
	it.each([
		['none', []],
		['7', Array.from({ length: 7 }, () => ({ source: 'url', url: 'https://a/x.png' }))],
	])('%s reference images: n8n refuses the workflow before anything runs', async (_n, image) => {
		await expect(
			runNode({
				credentials: credentialsFor(api.url),
				items: [{ json: {}, binary: { data: { data: png(4, 4), mimeType: 'image/png' } } }],
				parameters: params(image),
			}),
		).rejects.toThrow(
			'The workflow has issues and cannot be executed for that reason. Please fix them first.',
		);
		expect(api.log).toHaveLength(0);
	});

	it.each([
		[
			[{ source: 'url', url: 'ftp://host/x.png' }],
			'Reference Images (image 1): only http(s) URLs can be used, got "ftp:" [item 0]',
		],
		[
			[{ source: 'url', url: 'not a url' }],
			'Reference Images (image 1): "not a url" is not a valid URL [item 0]',
		],
		[
			[{ source: 'binary', binaryPropertyName: 'photo' }],
			'Reference Images (image 1): the input item has no binary field "photo" (it has: data) [item 0]',
		],
	])('refuses bad references before calling UniAll: %j', async (image, message) => {
		const { error } = await runNode({
			credentials: credentialsFor(api.url),
			items: [{ json: {}, binary: { data: { data: png(4, 4), mimeType: 'image/png' } } }],
			parameters: params(image),
		});
		expect(error?.message).toBe(message);
		expect(api.count('generations')).toBe(0);
	});

	it('refuses a binary file that is not an image', async () => {
		const { error } = await runNode({
			credentials: credentialsFor(api.url),
			items: [
				{
					json: {},
					binary: { data: { data: Buffer.from('%PDF-1.7 ...'), mimeType: 'application/pdf' } },
				},
			],
			parameters: params([{ source: 'binary', binaryPropertyName: 'data' }]),
		});
		expect(error?.message).toBe(
			'Reference Images (image 1): the file in binary field "data" is not a PNG, JPEG or WebP image [item 0]',
		);
		expect(api.count('generations')).toBe(0);
	});

	it('with Continue On Fail a row without its image fails alone and the others get their images', async () => {
		const { items } = await runNode({
			credentials: credentialsFor(api.url),
			continueOnFail: true,
			items: [
				{ json: { n: 1 }, binary: { data: { data: png(8, 8), mimeType: 'image/png' } } },
				{ json: { n: 2 } },
				{ json: { n: 3 }, binary: { data: { data: png(8, 8, 10), mimeType: 'image/png' } } },
			],
			parameters: params([{ source: 'binary', binaryPropertyName: 'data' }]),
		});
		expect(items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(items[0].binary?.data).toBeDefined();
		expect(items[1].json.error).toBe(
			'Reference Images (image 1): the input item has no binary field "data" (it has no binary data at all) [item 1]',
		);
		expect(items[2].binary?.data).toBeDefined();
		expect(api.count('generations')).toBe(2);
	});
});
