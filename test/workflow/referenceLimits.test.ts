import { useStandIn } from '../helpers/standIn';
import { credentialsFor } from '../helpers/credentials';
import { png } from '../helpers/imageBytes.cjs';
import { runNode } from '../../tools/n8n/inProcess.cjs';
import { imageToImageParams } from '../helpers/parameters';

/** The total inline reference bytes of one request are capped before anything is sent. */
const api = useStandIn({ mode: 'sync-url' });
const MB = 1024 * 1024;

/** A valid PNG header padded to `mb` megabytes: sniffs as PNG, as large as a real photo. */
const bigPng = (mb: number, shade: number) =>
	Buffer.concat([png(2, 2, shade), Buffer.alloc(mb * MB - 200)]);

const params = (fields: string[]) =>
	imageToImageParams(
		fields.map((binaryPropertyName) => ({ source: 'binary', binaryPropertyName })),
	);

describe('inline reference images', () => {
	it('over 50 MB together fail their row before any call, naming the row and the image; other rows go on', async () => {
		const small = (shade: number) => ({ data: png(8, 8, shade), mimeType: 'image/png' });
		const big = (shade: number) => ({ data: bigPng(18, shade), mimeType: 'image/png' });
		const { items } = await runNode({
			credentials: credentialsFor(api.url),
			continueOnFail: true,
			items: [
				{ json: { n: 1 }, binary: { a: small(1), b: small(2), c: small(3) } },
				{ json: { n: 2 }, binary: { a: big(10), b: big(20), c: big(30) } },
			],
			parameters: params(['a', 'b', 'c']),
		});
		expect(items[0].binary?.data).toBeDefined();
		expect(items[1].json.error).toMatch(
			/^Reference Images \(image 3\): the binary reference images of this request add up to 54\.0 MB; at most 50\.0 MB can be sent inline.*\[item 1\]$/,
		);
		expect(items[1].json.errorDescription).toMatch(/Nothing was sent to UniAll/);
		expect(api.count('generations')).toBe(1);
	});

	it('the same file used twice counts twice (it is sent twice)', async () => {
		const { error } = await runNode({
			credentials: credentialsFor(api.url),
			items: [{ json: {}, binary: { data: { data: bigPng(18, 40), mimeType: 'image/png' } } }],
			parameters: params(['data', 'data', 'data']),
		});
		expect(error?.message).toMatch(
			/^Reference Images \(image 3\): the binary reference images of this request add up to 54\.0 MB.*\[item 0\]$/,
		);
		expect(api.count('generations')).toBe(0);
	});

	it('under 50 MB together are sent', async () => {
		const { error, items } = await runNode({
			credentials: credentialsFor(api.url),
			items: [
				{
					json: {},
					binary: {
						a: { data: bigPng(18, 50), mimeType: 'image/png' },
						b: { data: bigPng(2, 60), mimeType: 'image/png' },
					},
				},
			],
			parameters: params(['a', 'b']),
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		expect(
			(api.log.find((e) => e.route === 'generations')?.body as { image_url: string[] }).image_url,
		).toHaveLength(2);
	});
});
