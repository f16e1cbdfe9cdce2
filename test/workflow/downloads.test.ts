import { MAX_DOWNLOAD_REDIRECTS } from '../../nodes/UniAllGptImage2/helpers/contract';
import { credentialsFor } from '../helpers/credentials';
import { publicUrl, usePublicNames } from '../helpers/publicNames.cjs';
import { useStandIn } from '../helpers/standIn';
import { storedFiles } from '../helpers/storedFiles.cjs';
import { runNode } from '../../tools/n8n/inProcess.cjs';
import { postGeneration, validRequest } from '../tools/standInClient';
import { PROMPT_OR_FOX, textToImageParams } from '../helpers/parameters';

/** Result-image downloads: redirects checked hop by hop, only images stored, failures in the host's words. */
const api = useStandIn({ mode: 'sync-url', latencyMs: 0 });
usePublicNames();

const generate = (options: Record<string, unknown> = {}) =>
	textToImageParams(options, { prompt: PROMPT_OR_FOX });
const imageRequests = () => api.log.filter((e) => e.route === 'image');
const FILE_URL = /http:\/\/127\.0\.0\.1:\d+\/files\/[\w-]+\.png/.source;
let executions = 0;
const executionId = () => `downloads-${++executions}`;

/** Another real image on the stand-in, made outside the node, to redirect to. */
async function anotherImage(prompt = 'row 77 somewhere else'): Promise<string> {
	const { json } = await postGeneration(api.url, { ...validRequest, prompt });
	return (json.data as Array<{ url: string }>)[0].url;
}

describe('redirects', () => {
	it('follows an allowed redirect (relative Location) to another address, with no API key on any hop', async () => {
		const other = await anotherImage();
		api.inject({
			route: 'image',
			kind: 'redirect',
			status: 302,
			location: new URL(other).pathname,
		});
		const { items, error, readBinary } = await runNode({
			credentials: credentialsFor(api.url),
			parameters: generate(),
		});
		expect(error).toBeUndefined();
		expect((await readBinary(items[0])).equals(api.fileBytes(other) as Buffer)).toBe(true);
		expect(imageRequests().map((e) => [e.status, e.path])).toEqual([
			[302, new URL(items[0].json.imageUrl as string).pathname],
			[200, new URL(other).pathname],
		]);
		for (const hop of imageRequests()) expect(hop.headers.authorization).toBeUndefined();
	});

	describe('with a public API host (private image addresses are refused)', () => {
		// The stand-in answers under public-looking names (test/helpers/publicNames.ts), so the
		// node applies the policy it applies to api.uniall.ai.
		const publicSetup = () => {
			api.configure({
				extraAnswerFields: { data: [{ url: publicUrl(`${api.url}/files/public-image.png`) }] },
			});
			return credentialsFor(publicUrl(api.url, 'api'));
		};

		it.each([
			['127.0.0.1', (real: string) => real],
			['[::ffff:7f00:1]', (real: string) => real.replace('127.0.0.1', '[::ffff:127.0.0.1]')],
			['localhost.', (real: string) => real.replace('127.0.0.1', 'localhost.')],
			[
				'169.254.169.254',
				() => 'http://169.254.169.254/latest/meta-data/iam/security-credentials/',
			],
			['100.100.100.200', () => 'http://100.100.100.200/latest/meta-data/'],
		])(
			'a hop to %s is refused before it is requested, and nothing is stored',
			async (host, target) => {
				const real = await anotherImage();
				const credentials = publicSetup();
				const first = publicUrl(`${api.url}/files/public-image.png`);
				api.inject({ route: 'image', kind: 'redirect', location: target(real) });
				const id = executionId();
				const { error, items } = await runNode({
					executionId: id,
					credentials,
					parameters: generate(),
				});
				expect(error?.message).toBe(
					`The image host redirected ${first} to an image address on a private network (${host}); it was not downloaded [item 0]`,
				);
				expect(error?.description).toMatch(
					/generated \(and billed\) but not stored\. Download it from/,
				);
				expect(items).toHaveLength(0);
				expect(imageRequests()).toHaveLength(1);
				expect(storedFiles(id)).toEqual([]);
			},
		);

		it('a hop to another public host is followed', async () => {
			const real = await anotherImage();
			const credentials = publicSetup();
			api.inject({
				route: 'image',
				kind: 'redirect',
				status: 307,
				location: publicUrl(real, 'cdn2'),
			});
			const { error, items, readBinary } = await runNode({ credentials, parameters: generate() });
			expect(error).toBeUndefined();
			expect((await readBinary(items[0])).equals(api.fileBytes(real) as Buffer)).toBe(true);
			expect(imageRequests().map((e) => e.headers.host)).toEqual([
				expect.stringMatching(/^cdn\.uniall\.test:/),
				expect.stringMatching(/^cdn2\.uniall\.test:/),
			]);
		});
	});

	it(`a chain of more than ${MAX_DOWNLOAD_REDIRECTS} redirects is refused`, async () => {
		// Every image request is redirected, 10 times over: more hops than the node follows.
		const other = await anotherImage();
		api.inject({ route: 'image', kind: 'redirect', location: new URL(other).pathname, times: 10 });
		const id = executionId();
		const { error } = await runNode({
			executionId: id,
			credentials: credentialsFor(api.url),
			parameters: generate(),
		});
		expect(error?.message).toMatch(
			new RegExp(
				`^The image host redirected ${FILE_URL} more than ${MAX_DOWNLOAD_REDIRECTS} times; it was not downloaded \\[item 0\\]$`,
			),
		);
		expect(imageRequests()).toHaveLength(MAX_DOWNLOAD_REDIRECTS + 1);
		expect(storedFiles(id)).toEqual([]);
	});
});

describe('only images are stored', () => {
	it('a body that is not an image fails its row, nothing is stored for it, other rows are delivered (Continue On Fail)', async () => {
		api.inject({ route: 'image', kind: 'not-image' });
		const id = executionId();
		const { items } = await runNode({
			executionId: id,
			credentials: credentialsFor(api.url),
			continueOnFail: true,
			items: [
				{ json: { prompt: 'row 1' } },
				{ json: { prompt: 'row 2' } },
				{ json: { prompt: 'row 3' } },
			],
			parameters: generate({ concurrency: 1 }),
		});
		expect(items.map((i) => (i.json.error ? 'error' : 'image'))).toEqual([
			'error',
			'image',
			'image',
		]);
		expect(items[0].json.error).toMatch(
			new RegExp(
				`^The image host answered ${FILE_URL} with data that is not a PNG, JPEG or WebP image \\(it was labelled "image/png"\\); it was not stored \\[item 0\\]$`,
			),
		);
		expect(items[0].binary).toBeUndefined();
		expect(items[0].pairedItem).toEqual({ item: 0 });
		expect(storedFiles(id)).toHaveLength(2);
	});
});

describe('download failures in the image host words', () => {
	it.each([401, 403])(
		'%i names the image host, not the API key (none is sent there)',
		async (status) => {
			api.inject({ route: 'image', kind: 'status', status });
			const { error } = await runNode({
				credentials: credentialsFor(api.url),
				parameters: generate(),
			});
			expect(error?.message).toMatch(
				new RegExp(
					`^The image host refused the download of ${FILE_URL} \\(HTTP ${status}\\) \\[item 0\\]$`,
				),
			);
			expect(error?.message).not.toMatch(/API key/);
			expect(error?.description).toMatch(/No API key is sent to image hosts/);
			expect(imageRequests()[0].headers.authorization).toBeUndefined();
		},
	);

	it('a connection reset mid-image names the URL and the task', async () => {
		api.configure({ mode: 'async', latencyMs: 30, largeImages: true });
		api.inject({ route: 'image', kind: 'truncate' });
		const { error } = await runNode({
			credentials: credentialsFor(api.url),
			parameters: generate({ timeout: 60 }),
		});
		expect(error?.message).toMatch(
			new RegExp(
				`^The image download from ${FILE_URL} was interrupted: the connection was dropped \\[item 0\\]$`,
			),
		);
		expect(error?.description).toMatch(/Get Task operation and Task ID "task_\w+"/);
	});

	it('a connection reset before the first bytes were handed on is retried like any read', async () => {
		api.inject({ route: 'image', kind: 'truncate', atBytes: 64 * 1024 });
		const { error, items } = await runNode({
			credentials: credentialsFor(api.url),
			parameters: generate({ maxRetries: 1 }),
		});
		expect(error).toBeUndefined();
		expect(items[0].json.width).toBe(1024);
		expect(imageRequests().map((e) => e.status)).toEqual([-1, 200]);
	});
});

describe('one retry policy with the API calls', () => {
	it("waits out an image host's rate limits until the Timeout instead of counting them against Max Retries", async () => {
		api.inject({ route: 'image', kind: 'status', status: 429, retryAfter: 0, times: 3 });
		const { items, error } = await runNode({
			credentials: credentialsFor(api.url),
			parameters: generate({ maxRetries: 0 }),
			executionId: executionId(),
		});
		expect(error).toBeUndefined();
		expect(items[0].binary?.data?.mimeType).toBe('image/png');
		expect(imageRequests().map((e) => e.status)).toEqual([429, 429, 429, 200]);
	});
});
