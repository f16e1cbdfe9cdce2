import { checkResultUrl, isPrivateHost, joinUrl, normaliseBaseUrl } from '../../nodes/UniAllGptImage2/helpers/urls';
import { ROUTES } from '../../nodes/UniAllGptImage2/helpers/contract';

describe('normaliseBaseUrl', () => {
	it.each([
		['https://api.uniall.ai', 'https://api.uniall.ai'],
		['https://api.uniall.ai/', 'https://api.uniall.ai'],
		['https://api.uniall.ai/v1', 'https://api.uniall.ai'],
		['https://api.uniall.ai/v1/', 'https://api.uniall.ai'],
		['  https://api.uniall.ai/V1  ', 'https://api.uniall.ai'],
		['http://127.0.0.1:8787', 'http://127.0.0.1:8787'],
		['https://gateway.example.com/uniall/v1', 'https://gateway.example.com/uniall'],
		['', 'https://api.uniall.ai'],
		[undefined, 'https://api.uniall.ai'],
	])('%s -> %s', (input, expected) => {
		expect(normaliseBaseUrl(input)).toBe(expected);
	});

	it.each(['api.uniall.ai', 'ftp://api.uniall.ai', 'not a url', 'https://user:pw@api.uniall.ai'])('refuses %s', (input) => {
		expect(normaliseBaseUrl(input)).toBeUndefined();
	});

	it('never produces /v1/v1', () => {
		expect(joinUrl(normaliseBaseUrl('https://api.uniall.ai/v1/') as string, ROUTES.generations)).toBe(
			'https://api.uniall.ai/v1/images/generations',
		);
	});

	it('encodes task ids into the task route', () => {
		expect(ROUTES.task('task_1/../x')).toBe('/v1/images/tasks/task_1%2F..%2Fx');
	});
});

describe('checkResultUrl', () => {
	const publicApi = 'https://api.uniall.ai';
	it('accepts public http(s) image URLs', () => {
		expect(checkResultUrl('https://cdn.uniall.ai/a.png', publicApi)).toBeUndefined();
	});
	it.each(['file:///etc/passwd', 'ftp://cdn/x.png', 'javascript:alert(1)'])('refuses the scheme of %s', (url) => {
		expect(checkResultUrl(url, publicApi)).toMatch(/only http\(s\)/);
	});
	it.each(['http://127.0.0.1/x.png', 'http://10.0.0.5/x.png', 'http://192.168.1.2/x.png', 'http://169.254.169.254/latest', 'http://localhost:8080/x', 'http://[::1]/x'])(
		'refuses private address %s when the API is public',
		(url) => {
			expect(checkResultUrl(url, publicApi)).toMatch(/private network/);
		},
	);
	it('allows private image hosts when the API itself is private (self-hosted gateway, stand-in)', () => {
		expect(checkResultUrl('http://127.0.0.1:8787/files/a.png', 'http://127.0.0.1:8787')).toBeUndefined();
	});
	it('refuses what is not a URL', () => {
		expect(checkResultUrl('not a url', publicApi)).toMatch(/not a URL/);
	});
	it('classifies hosts', () => {
		expect(isPrivateHost('172.20.1.1')).toBe(true);
		expect(isPrivateHost('172.32.1.1')).toBe(false);
		expect(isPrivateHost('cdn.uniall.ai')).toBe(false);
	});
});
