import {
	checkResultUrl,
	isPrivateHost,
	joinUrl,
	normaliseBaseUrl,
} from '../../nodes/UniAllGptImage2/helpers/urls';
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

	it.each(['api.uniall.ai', 'ftp://api.uniall.ai', 'not a url', 'https://user:pw@api.uniall.ai'])(
		'refuses %s',
		(input) => {
			expect(normaliseBaseUrl(input)).toBeUndefined();
		},
	);

	it('never produces /v1/v1', () => {
		expect(
			joinUrl(normaliseBaseUrl('https://api.uniall.ai/v1/') as string, ROUTES.generations),
		).toBe('https://api.uniall.ai/v1/images/generations');
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
	it.each(['file:///etc/passwd', 'ftp://cdn/x.png', 'javascript:alert(1)'])(
		'refuses the scheme of %s',
		(url) => {
			expect(checkResultUrl(url, publicApi)).toMatch(/only http\(s\)/);
		},
	);
	it.each([
		'http://127.0.0.1/x.png',
		'http://10.0.0.5/x.png',
		'http://192.168.1.2/x.png',
		'http://169.254.169.254/latest',
		'http://localhost:8080/x',
		'http://[::1]/x',
	])('refuses private address %s when the API is public', (url) => {
		expect(checkResultUrl(url, publicApi)).toMatch(/private network/);
	});
	it('allows private image hosts when the API itself is private (self-hosted gateway, stand-in)', () => {
		expect(
			checkResultUrl('http://127.0.0.1:8787/files/a.png', 'http://127.0.0.1:8787'),
		).toBeUndefined();
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

describe('private addresses in every spelling a URL can give them', () => {
	const publicApi = 'https://api.uniall.ai';
	// [URL as UniAll or a redirect could send it, the host the URL parser makes of it]
	it.each([
		['http://localhost./x.png', 'localhost.'],
		['http://LOCALHOST./x.png', 'localhost.'],
		['http://LocalHost/x.png', 'localhost'],
		['http://img.localhost/x.png', 'img.localhost'],
		['http://img.LOCALHOST./x.png', 'img.localhost.'],
		['http://metadata.google.internal/computeMetadata/v1/', 'metadata.google.internal'],
		['http://printer.local/x.png', 'printer.local'],
		['http://router.home.arpa/x.png', 'router.home.arpa'],
		['http://[::ffff:127.0.0.1]/x.png', '[::ffff:7f00:1]'],
		['http://[::ffff:7f00:1]/x.png', '[::ffff:7f00:1]'],
		['http://[::ffff:169.254.169.254]/latest/meta-data/', '[::ffff:a9fe:a9fe]'],
		['http://[::ffff:a9fe:a9fe]/latest/meta-data/', '[::ffff:a9fe:a9fe]'],
		['http://[::ffff:10.0.0.1]/x.png', '[::ffff:a00:1]'],
		['http://[::127.0.0.1]/x.png', '[::7f00:1]'],
		['http://[64:ff9b::169.254.169.254]/x.png', '[64:ff9b::a9fe:a9fe]'],
		['http://[2002:7f00:1::]/x.png', '[2002:7f00:1::]'],
		['http://[::]/x.png', '[::]'],
		['http://[0:0:0:0:0:0:0:0]/x.png', '[::]'],
		['http://[::1]/x.png', '[::1]'],
		['http://[0:0:0:0:0:0:0:1]:8080/x.png', '[::1]'],
		['http://[fd12:3456::1]/x.png', '[fd12:3456::1]'],
		['http://[fe80::1]/x.png', '[fe80::1]'],
		['http://[fec0::1]/x.png', '[fec0::1]'],
		['http://[ff02::1]/x.png', '[ff02::1]'],
		['http://0.0.0.0/x.png', '0.0.0.0'],
		['http://0.1.2.3/x.png', '0.1.2.3'],
		['http://0/x.png', '0.0.0.0'],
		['http://100.64.0.1/x.png', '100.64.0.1'],
		['http://100.100.100.200/latest/meta-data/', '100.100.100.200'],
		['http://100.127.255.254/x.png', '100.127.255.254'],
		['http://127.0.0.1./x.png', '127.0.0.1'],
		['http://127.1/x.png', '127.0.0.1'],
		['http://2130706433/x.png', '127.0.0.1'],
		['http://0x7f000001/x.png', '127.0.0.1'],
		['http://0x7f.1/x.png', '127.0.0.1'],
		['http://0177.0.0.1/x.png', '127.0.0.1'],
		['http://017700000001/x.png', '127.0.0.1'],
		['http://2852039166/latest/meta-data/', '169.254.169.254'],
		['http://0xa9.0xfe.0xa9.0xfe/latest/meta-data/', '169.254.169.254'],
		['http://10.1/x.png', '10.0.0.1'],
		['http://172.31.255.255/x.png', '172.31.255.255'],
		['http://192.168.0.1/x.png', '192.168.0.1'],
		['http://192.0.0.170/x.png', '192.0.0.170'],
		['http://198.18.0.1/x.png', '198.18.0.1'],
		['http://224.0.0.1/x.png', '224.0.0.1'],
		['http://255.255.255.255/x.png', '255.255.255.255'],
	])('%s (host %s) is refused when the API is public', (url, host) => {
		expect(new URL(url).hostname).toBe(host);
		expect(checkResultUrl(url, publicApi)).toBe(
			`UniAll returned an image address on a private network (${host}); it was not downloaded`,
		);
	});

	it.each([
		'https://cdn.uniall.ai/a.png',
		'https://8.8.8.8/a.png',
		'http://100.63.255.255/a.png',
		'http://100.128.0.1/a.png',
		'http://172.15.0.1/a.png',
		'http://172.32.0.1/a.png',
		'http://169.255.0.1/a.png',
		'http://192.169.0.1/a.png',
		'http://1.2.3/a.png', // 1.2.0.3
		'http://[2606:4700:4700::1111]/a.png',
		'http://[::ffff:8.8.8.8]/a.png',
		'http://[64:ff9b::8.8.8.8]/a.png',
		'http://localhost.example.com/a.png',
		'http://internal.example.com/a.png',
		'http://mylocalhost/a.png',
	])('%s is a public address', (url) => {
		expect(checkResultUrl(url, publicApi)).toBeUndefined();
	});

	it('classifies raw host spellings the same way as parsed ones', () => {
		for (const host of [
			'::ffff:127.0.0.1',
			'[::ffff:127.0.0.1]',
			'::ffff:7f00:1',
			'::',
			'::1',
			'2130706433',
			'0x7f.1',
			'LOCALHOST.',
			'::ffff:0:7f00:1',
		]) {
			expect([host, isPrivateHost(host)]).toEqual([host, true]);
		}
		expect(isPrivateHost('[::ffff:808:808]')).toBe(false);
	});

	it('treats an IPv6 literal it cannot read as private', () => {
		expect(isPrivateHost('[1:2:3:4:5:6:7:8:9]')).toBe(true);
	});
});

describe('redirect hops', () => {
	const publicApi = 'https://api.uniall.ai';
	const from = 'https://cdn.uniall.ai/a.png';
	it('are judged by the same policy and worded as the image host redirecting', () => {
		expect(checkResultUrl('http://169.254.169.254/latest', publicApi, from)).toBe(
			'The image host redirected https://cdn.uniall.ai/a.png to an image address on a private network (169.254.169.254); it was not downloaded',
		);
		expect(checkResultUrl('file:///etc/passwd', publicApi, from)).toMatch(
			/^The image host redirected .* "file:" scheme; only http\(s\)/,
		);
		expect(checkResultUrl('https://other-cdn.example.com/a.png', publicApi, from)).toBeUndefined();
	});
	it('to a private address are allowed when the API itself is private (self-hosted gateway, stand-in)', () => {
		expect(
			checkResultUrl(
				'http://10.0.0.7/a.png',
				'http://127.0.0.1:8787',
				'http://127.0.0.1:8787/files/a.png',
			),
		).toBeUndefined();
	});
});
