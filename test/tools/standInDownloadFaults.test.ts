import { useStandIn } from '../helpers/standIn';
import { checkPng } from './pngCheck';
import { rawGet } from './rawGet.cjs';
import { download, postGeneration, validRequest } from './standInClient';

/** Faults that image hosts commit: redirects, bodies that are not images, downloads cut mid-body. */
const api = useStandIn({ mode: 'sync-url', latencyMs: 0 });

const imageUrl = async () =>
	((await postGeneration(api.url, validRequest)).json.data as Array<{ url: string }>)[0].url;

describe('redirect faults', () => {
	it.each([301, 302, 303, 307, 308])(
		'%i answers the given Location, relative or absolute, and nothing else',
		async (status) => {
			const url = await imageUrl();
			api.inject({ route: 'image', kind: 'redirect', status, location: '/files/other.png' });
			const answer = await rawGet(url);
			expect(answer.status).toBe(status);
			expect(answer.headers.location).toBe('/files/other.png');
			expect(api.log.at(-1)).toMatchObject({ route: 'image', status, faulted: 'redirect' });
			// Used up: the next download is the image itself.
			expect((await rawGet(url)).status).toBe(200);
		},
	);

	it('defaults to 302 and applies `times` times (a redirect loop)', async () => {
		const url = await imageUrl();
		api.inject({ route: 'image', kind: 'redirect', location: url, times: 3 });
		const statuses = [];
		for (let i = 0; i < 4; i++) statuses.push((await rawGet(url)).status);
		expect(statuses).toEqual([302, 302, 302, 200]);
	});

	it('refuses a redirect without a location or with a status that is not a redirect', () => {
		expect(() => api.inject({ route: 'image', kind: 'redirect' })).toThrow(/needs a `location`/);
		expect(() =>
			api.inject({ route: 'image', kind: 'redirect', location: '/x', status: 200 }),
		).toThrow(/redirect status/);
		expect(() =>
			api.inject({ route: 'image', kind: 'redirect', location: '/x', status: 304 }),
		).toThrow(/redirect status/);
	});
});

describe('not-image', () => {
	it('answers 200 with JSON labelled image/png', async () => {
		const url = await imageUrl();
		api.inject({ route: 'image', kind: 'not-image' });
		const answer = await download(url);
		expect(answer.status).toBe(200);
		expect(answer.type).toBe('image/png');
		expect(JSON.parse(answer.bytes.toString('utf8'))).toMatchObject({
			note: 'this is not an image',
		});
		await expect(checkPng(answer.bytes)).rejects.toThrow();
		expect(api.log.at(-1)).toMatchObject({ status: 200, faulted: 'not-image' });
	});
});

describe('truncate', () => {
	it('sends the headers and the first half of the real image, then resets the connection', async () => {
		const url = await imageUrl();
		const whole = api.fileBytes(url) as Buffer;
		api.inject({ route: 'image', kind: 'truncate' });
		const answer = await rawGet(url);
		expect(answer.status).toBe(200);
		expect(answer.headers['content-length']).toBe(String(whole.length));
		expect(answer.error).toBeDefined();
		expect(answer.bytes.length).toBe(Math.floor(whole.length / 2));
		expect(answer.bytes.equals(whole.subarray(0, answer.bytes.length))).toBe(true);
		expect(api.log.at(-1)).toMatchObject({ status: -1, faulted: 'truncate' });
	});

	it('stalls delayMs before the reset', async () => {
		const url = await imageUrl();
		api.inject({ route: 'image', kind: 'truncate', delayMs: 300 });
		const started = Date.now();
		const answer = await rawGet(url);
		expect(answer.error).toBeDefined();
		expect(Date.now() - started).toBeGreaterThanOrEqual(290);
	});
});
