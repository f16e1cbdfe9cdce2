/**
 * A tiny local HTTP server that misbehaves as a test tells it to: the broken gateway, proxy or
 * image host the stand-in cannot play (cut JSON, HTML pages, unknown status words, trickled
 * bytes, gzip bombs, redirects to another host). Every request is logged with its headers.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGzip } from 'node:zlib';

export interface SeenRequest {
	method: string;
	path: string;
	headers: http.IncomingHttpHeaders;
	body: string;
}

export type Handler = (req: SeenRequest, res: http.ServerResponse) => unknown;

export interface HostileServer {
	url: string;
	log: SeenRequest[];
	count: (method: string, pathStart?: string) => number;
	close: () => Promise<void>;
}

export async function hostileServer(handler: Handler): Promise<HostileServer> {
	const log: SeenRequest[] = [];
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const seen: SeenRequest = {
				method: req.method ?? 'GET',
				path: req.url ?? '/',
				headers: req.headers,
				body: Buffer.concat(chunks).toString(),
			};
			log.push(seen);
			Promise.resolve(handler(seen, res)).catch(() => res.destroy());
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		log,
		count: (method, pathStart = '') =>
			log.filter((r) => r.method === method && r.path.startsWith(pathStart)).length,
		close: async () => {
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}

/** Sends JSON with a status. */
export function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
	const text = JSON.stringify(body);
	res.writeHead(status, {
		'Content-Type': 'application/json',
		'Content-Length': Buffer.byteLength(text),
	});
	res.end(text);
}

/**
 * Sends `text` one byte every `everyMs` until it is all out or the client goes away: a server
 * that never lets an idle timer fire.
 */
export function trickle(
	res: http.ServerResponse,
	status: number,
	text: string,
	everyMs = 100,
): void {
	res.writeHead(status, { 'Content-Type': 'application/json' });
	let at = 0;
	const timer = setInterval(() => {
		if (res.destroyed || at >= text.length) {
			clearInterval(timer);
			if (!res.destroyed) res.end();
			return;
		}
		res.write(text[at++]);
	}, everyMs);
	res.on('close', () => clearInterval(timer));
}

/**
 * Writes `head` (status line and headers) and `body` straight to the socket, then closes it: a
 * close-delimited answer with no Content-Length, as an HTTP/1.0 proxy sends it.
 */
export function rawAnswer(res: http.ServerResponse, head: string, body: string): void {
	const socket = res.socket;
	if (!socket) return;
	socket.write(`${head}\r\nConnection: close\r\n\r\n${body}`);
	socket.end();
}

/** Status line, then one header byte every `everyMs`: headers that never finish. */
export function trickleHeaders(res: http.ServerResponse, everyMs = 100): void {
	const socket = res.socket;
	if (!socket) return;
	socket.write('HTTP/1.1 200 OK\r\n');
	const line = 'X-Slow: ' + 'a'.repeat(10_000);
	let at = 0;
	const timer = setInterval(() => {
		if (socket.destroyed || at >= line.length) return clearInterval(timer);
		socket.write(line[at++]);
	}, everyMs);
	socket.on('close', () => clearInterval(timer));
}

/** A little gzip that inflates to a JSON answer of about `megabytes` MB (one huge inline "image"). */
export async function gzipBomb(megabytes: number): Promise<Buffer> {
	const gzip = createGzip({ level: 9 });
	const out: Buffer[] = [];
	gzip.on('data', (chunk: Buffer) => out.push(chunk));
	const done = new Promise((resolve) => gzip.on('end', resolve));
	gzip.write('{"created":1,"data":[{"b64_json":"');
	const megabyte = Buffer.alloc(1024 * 1024, 'A');
	for (let i = 0; i < megabytes; i++) gzip.write(megabyte);
	gzip.end('"}]}');
	await done;
	return Buffer.concat(out);
}
