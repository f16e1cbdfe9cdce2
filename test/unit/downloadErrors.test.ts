import {
	downloadInterrupted,
	downloadTimeout,
	mapDownloadFailure,
	notAnImage,
	refusedRedirect,
	tooManyRedirects,
} from '../../nodes/UniAllGptImage2/helpers/errors';

/** Downloads go to image hosts without the API key, after the image was billed: their words say so. */
const url = 'https://cdn.uniall.ai/out/img_1.png';
const withTask = { url, taskId: 'task_abc', timeoutMs: 30_000 };

describe('mapDownloadFailure', () => {
	it.each([401, 403])('%i is the image host refusing, never the UniAll key', (status) => {
		const mapped = mapDownloadFailure({ status }, withTask);
		expect(mapped).toMatchObject({ reason: 'download_refused', httpCode: String(status) });
		expect(mapped.message).toBe(`The image host refused the download of ${url} (HTTP ${status})`);
		expect(mapped.message).not.toMatch(/key|UniAll/);
		expect(mapped.description).toMatch(
			/^No API key is sent to image hosts, so this is not about the UniAll credential/,
		);
		expect(mapped.description).toMatch(/Task ID "task_abc"/);
	});

	it.each(['ETIMEDOUT', 'ECONNABORTED', 'ESOCKETTIMEDOUT'])(
		'a %s network timeout gets the timeout words',
		(networkCode) => {
			expect(mapDownloadFailure({ networkCode }, withTask)).toEqual(downloadTimeout(withTask));
		},
	);

	it('a redirect status without a Location names the host and the URL', () => {
		const mapped = mapDownloadFailure({ status: 302 }, { url });
		expect(mapped.message).toBe(
			`The image host answered ${url} with HTTP 302 and no address to follow`,
		);
	});

	it('other failures keep the general words', () => {
		expect(mapDownloadFailure({ status: 503 }, { url }).reason).toBe('server_error');
		expect(mapDownloadFailure({ networkCode: 'ECONNRESET' }, { url }).reason).toBe('network');
	});
});

describe('download words', () => {
	it('a timeout reads like every other timeout, with the task ID and the Timeout', () => {
		expect(downloadTimeout(withTask)).toEqual({
			reason: 'timeout',
			message: 'The image download did not finish within 30 s (task task_abc)',
			description:
				`The image was generated (and billed) but not stored. Download it from ${url} while that link lasts, ` +
				'or fetch the task again with the Get Task operation and Task ID "task_abc". Raise the Timeout option if the image host is slow.',
		});
		expect(downloadTimeout({ url }).message).toBe('The image download did not finish in time');
	});

	it('an interrupted download names the URL and what happened, without the socket code in the message', () => {
		const mapped = downloadInterrupted(withTask, 'ECONNRESET');
		expect(mapped.message).toBe(
			`The image download from ${url} was interrupted: the connection was dropped`,
		);
		expect(mapped.description).toMatch(
			/Task ID "task_abc"\. \(Network error code: ECONNRESET\.\)$/,
		);
	});

	it('a body that is not an image says what it was labelled and that nothing was stored', () => {
		expect(notAnImage({ url }, 'image/png').message).toBe(
			`The image host answered ${url} with data that is not a PNG, JPEG or WebP image (it was labelled "image/png"); it was not stored`,
		);
		expect(notAnImage({ url }).message).toMatch(/image; it was not stored$/);
	});

	it('refused redirects carry the refusal and how to get the image', () => {
		expect(refusedRedirect({ url }, 'why').message).toBe('why');
		expect(tooManyRedirects({ url }, 5).message).toBe(
			`The image host redirected ${url} more than 5 times; it was not downloaded`,
		);
		expect(tooManyRedirects({ url }, 5).description).toMatch(/Redirects are checked hop by hop/);
	});

	it('long signed URLs are shortened in messages', () => {
		const long = `https://cdn.example.com/${'x'.repeat(300)}?signature=${'s'.repeat(200)}`;
		expect(notAnImage({ url: long }).message.length).toBeLessThan(250);
	});
});

describe('issue 26 items 10 and 11: words of an image host, not of UniAll', () => {
	it.each([404, 410])(
		'a %i is an expired link: no advice about the Base URL or Model',
		(status) => {
			const mapped = mapDownloadFailure({ status }, withTask);
			expect(mapped).toMatchObject({ reason: 'link_expired', httpCode: String(status) });
			expect(mapped.message).toBe(
				`The image link has expired: the image host answered ${url} with HTTP ${status}`,
			);
			expect(mapped.description).not.toMatch(/Base URL|Model option/);
			expect(mapped.description).toMatch(/generate the image again/);
			expect(mapped.description).toMatch(/billed, but its link no longer works/);
		},
	);

	it('fetched by Get Task, an expired link claims no charge', () => {
		const mapped = mapDownloadFailure({ status: 404 }, { ...withTask, fetchedByGetTask: true });
		expect(mapped.description).toMatch(/^Get Task bills nothing/);
	});

	it("a 429 names the image host and the Timeout, not UniAll's limit or Max Retries", () => {
		const mapped = mapDownloadFailure({ status: 429 }, withTask);
		expect(mapped.message).toBe(
			`The image host rate limited the download of ${url} (HTTP 429) until the row's Timeout ran out`,
		);
		expect(`${mapped.message} ${mapped.description}`).not.toMatch(/UniAll rate limit|Max Retries/);
	});
});
