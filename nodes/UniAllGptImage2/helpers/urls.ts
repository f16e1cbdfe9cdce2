import { DEFAULT_BASE_URL } from './contract';

/**
 * Users paste base URLs in every form (`https://api.uniall.ai`, `…/`, `…/v1`, `…/v1/`). The
 * routes already carry `/v1`, so strip it here once and never produce `/v1/v1`.
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

/**
 * Names that never leave the machine or the local network: RFC 6761 `localhost`, mDNS `.local`,
 * ICANN's private-use `.internal` (cloud metadata hosts such as metadata.google.internal live
 * there) and RFC 8375 `home.arpa`.
 */
const PRIVATE_NAME = /(^|\.)(localhost|local|internal|home\.arpa)$/;

/**
 * [first octet, second octet from, second octet to]
 * for each private, shared or reserved IPv4 range.
 */
const PRIVATE_V4: Array<[number, number, number]> = [
	[0, 0, 255], // 0.0.0.0/8 "this network": 0.0.0.0 reaches the local host
	[10, 0, 255], // 10.0.0.0/8
	[100, 64, 127], // 100.64.0.0/10 carrier-grade NAT; cloud metadata (100.100.100.200)
	[127, 0, 255], // 127.0.0.0/8 loopback
	[169, 254, 254], // 169.254.0.0/16 link-local; cloud metadata (169.254.169.254)
	[172, 16, 31], // 172.16.0.0/12
	[192, 168, 168], // 192.168.0.0/16
	[198, 18, 19], // 198.18.0.0/15 benchmarking
];

function isPrivateV4(octets: number[]): boolean {
	const [a, b, c] = octets;
	if (a >= 224) return true; // multicast, reserved, broadcast
	if (a === 192 && b === 0 && c === 0) return true; // 192.0.0.0/24 IETF protocol assignments
	return PRIVATE_V4.some(([first, from, to]) => a === first && b >= from && b <= to);
}

function parseV4(text: string): number[] | undefined {
	const parts = text.split('.');
	if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p))) return undefined;
	const octets = parts.map(Number);
	return octets.every((n) => n <= 255) ? octets : undefined;
}

/** The eight 16-bit groups of an IPv6 address (a dotted IPv4 tail is read as the last two). */
function parseV6(text: string): number[] | undefined {
	const dotted = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(text);
	const v4 = dotted ? parseV4(dotted[2]) : undefined;
	if (dotted && !v4) return undefined;
	const body = v4
		? `${dotted?.[1]}${((v4[0] << 8) | v4[1]).toString(16)}:${((v4[2] << 8) | v4[3]).toString(16)}`
		: text;
	const halves = body.split('::');
	if (halves.length > 2) return undefined;
	const groups = (half: string) => (half === '' ? [] : half.split(':'));
	const head = groups(halves[0]);
	const tail = halves.length === 2 ? groups(halves[1]) : [];
	const missing = 8 - head.length - tail.length;
	if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
	const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
	if (!all.every((g) => /^[0-9a-f]{1,4}$/i.test(g))) return undefined;
	return all.map((g) => parseInt(g, 16));
}

function isPrivateV6(g: number[]): boolean {
	const zeros = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
	const embeddedV4 = (hi: number, lo: number) => [hi >> 8, hi & 0xff, lo >> 8, lo & 0xff];
	if (zeros(0, 7) && g[7] <= 1) return true; // :: (unspecified, reaches the local host) and ::1
	if ((g[0] & 0xfe00) === 0xfc00) return true; // fc00::/7 unique local
	// link-local, old site-local
	if ((g[0] & 0xffc0) === 0xfe80 || (g[0] & 0xffc0) === 0xfec0) return true;
	if ((g[0] & 0xff00) === 0xff00) return true; // multicast
	// Addresses that carry an IPv4 address and reach it: IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible
	// (::a.b.c.d), SIIT (::ffff:0:a.b.c.d), NAT64 (64:ff9b::a.b.c.d), 6to4 (2002:aabb:ccdd::).
	if (zeros(0, 5) && (g[5] === 0xffff || g[5] === 0)) return isPrivateV4(embeddedV4(g[6], g[7]));
	if (zeros(0, 4) && g[4] === 0xffff && g[5] === 0) return isPrivateV4(embeddedV4(g[6], g[7]));
	if (g[0] === 0x64 && g[1] === 0xff9b && zeros(2, 6)) return isPrivateV4(embeddedV4(g[6], g[7]));
	if (g[0] === 0x2002) return isPrivateV4(embeddedV4(g[1], g[2]));
	return false;
}

/**
 * The host as WHATWG URL parsing leaves it, which is what the HTTP client connects to: IPv4 in
 * any spelling (2130706433, 0x7f.1, 127.1, 0177.0.0.1) becomes dotted decimal, IPv6 is compressed
 * hex ([::ffff:127.0.0.1] becomes [::ffff:7f00:1]), names are lower case.
 */
function canonicalHost(hostname: string): string {
	const raw = hostname.trim();
	const bracketed = raw.includes(':') && !raw.startsWith('[') ? `[${raw}]` : raw;
	try {
		return new URL(`http://${bracketed}/`).hostname;
	} catch {
		return raw.toLowerCase();
	}
}

/**
 * Whether a host names this machine or a private, shared or reserved network, judged from its
 * spelling alone: a community node cannot resolve names, so a public name that resolves to a
 * private address is not caught here.
 */
export function isPrivateHost(hostname: string): boolean {
	const host = canonicalHost(hostname);
	if (host.startsWith('[')) {
		const groups = parseV6(host.slice(1, -1));
		return groups === undefined || isPrivateV6(groups);
	}
	const v4 = parseV4(host);
	if (v4) return isPrivateV4(v4);
	return PRIVATE_NAME.test(host.replace(/\.+$/, ''));
}

/**
 * Result images are fetched without the API key, but a response could still point the node at a
 * local file or an internal service. Only http(s) is allowed, and private addresses only when
 * the API itself lives on one (a self-hosted gateway or the local stand-in). Downloads check
 * every redirect hop with this too, passing the address that redirected as `redirectedFrom`.
 */
export function checkResultUrl(
	raw: string,
	baseUrl: string,
	redirectedFrom?: string,
): string | undefined {
	const source = redirectedFrom
		? `The image host redirected ${shortUrl(redirectedFrom)} to`
		: 'UniAll returned';
	let url: URL;
	try {
		url = new URL(raw);
	} catch {
		return `${source} an image address that is not a URL: "${raw.slice(0, 80)}"`;
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') {
		return (
			`${source} an image address with the "${url.protocol}" scheme; ` +
			`only http(s) images are downloaded`
		);
	}
	const apiHost = new URL(baseUrl).hostname;
	if (isPrivateHost(url.hostname) && !isPrivateHost(apiHost)) {
		return `${source} an image address on a private network (${url.hostname}); it was not downloaded`;
	}
	return undefined;
}

/** URLs in messages: long signed URLs cut to something readable. */
export function shortUrl(url: string, max = 120): string {
	return url.length > max ? `${url.slice(0, max)}…` : url;
}
