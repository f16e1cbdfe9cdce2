import { DEFAULT_BASE_URL } from './contract';

/**
 * Users paste base URLs in every form (`https://api.uniall.ai`, `…/`, `…/v1`, `…/v1/`). The routes
 * already carry `/v1`, so strip it here once and never produce `/v1/v1`.
 * Returns undefined when the value is not an http(s) URL.
 */
export function normaliseBaseUrl(raw: unknown): string | undefined {
	const text = typeof raw === 'string' && raw.trim() !== '' ? raw.trim() : DEFAULT_BASE_URL;
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		return undefined;
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
	if (url.username || url.password) return undefined;
	const path = url.pathname.replace(/\/+$/, '').replace(/\/v1$/i, '').replace(/\/+$/, '');
	return `${url.protocol}//${url.host}${path}`;
}

export function joinUrl(baseUrl: string, route: string): string {
	return `${baseUrl}${route.startsWith('/') ? route : `/${route}`}`;
}

const PRIVATE_HOST = [
	/^localhost$/i,
	/\.localhost$/i,
	/^127\./,
	/^10\./,
	/^192\.168\./,
	/^172\.(1[6-9]|2\d|3[01])\./,
	/^169\.254\./,
	/^0\./,
	/^\[?::1\]?$/,
	/^\[?f[cd][0-9a-f]{2}:/i,
	/^\[?fe80:/i,
];

export function isPrivateHost(hostname: string): boolean {
	return PRIVATE_HOST.some((re) => re.test(hostname));
}

/**
 * Result images are fetched without the API key, but a response could still point the node at a
 * local file or an internal service. Only http(s) is allowed, and private addresses only when
 * the API itself lives on one (a self-hosted gateway or the local stand-in).
 */
export function checkResultUrl(raw: string, baseUrl: string): string | undefined {
	let url: URL;
	try {
		url = new URL(raw);
	} catch {
		return `UniAll returned an image address that is not a URL: "${raw.slice(0, 80)}"`;
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') {
		return `UniAll returned an image address with the "${url.protocol}" scheme; only http(s) images are downloaded`;
	}
	const apiHost = new URL(baseUrl).hostname;
	if (isPrivateHost(url.hostname) && !isPrivateHost(apiHost)) {
		return `UniAll returned an image address on a private network (${url.hostname}); it was not downloaded`;
	}
	return undefined;
}
