import dns from 'node:dns';

/** Host names under this suffix resolve to 127.0.0.1 while a test file that calls usePublicNames() runs. */
export const PUBLIC_SUFFIX = '.uniall.test';

/**
 * The node allows private image addresses when the API itself is private (the stand-in on
 * 127.0.0.1 is), so refusals are only visible with a public-looking API host. This acts as a
 * hosts-file entry for this test process: `api.uniall.test`, `cdn.uniall.test`, … reach the local
 * stand-in while the node, which judges hosts by their spelling, sees public names. The node's
 * code is untouched; only name resolution in Node's own `dns.lookup` is redirected.
 */
export function usePublicNames(): void {
	const original = dns.lookup;
	beforeAll(() => {
		const patched = (hostname: string, ...rest: unknown[]) =>
			(original as (...args: unknown[]) => void)(
				hostname.toLowerCase().endsWith(PUBLIC_SUFFIX) ? '127.0.0.1' : hostname,
				...rest,
			);
		dns.lookup = patched as typeof dns.lookup;
	});
	afterAll(() => {
		dns.lookup = original;
	});
}

/** `http://127.0.0.1:PORT/...` as the same address under a public-looking name. */
export const publicUrl = (url: string, name = 'cdn'): string =>
	url.replace('//127.0.0.1:', `//${name}${PUBLIC_SUFFIX}:`);
