/**
 * Something that answers like an n8n with an owner already set up and another password: what the
 * real-n8n harness met in CI when another n8n held the port (tests in test/tools/n8nOwner.test.ts).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export async function otherN8n(): Promise<{
	port: number;
	close: () => Promise<void>;
	routes: string[];
}> {
	const routes: string[] = [];
	const server = http.createServer((req, res) => {
		routes.push(`${req.method} ${req.url}`);
		req.resume();
		const status =
			req.url === '/healthz'
				? 200
				: req.url === '/rest/owner/setup'
					? 400
					: req.url === '/rest/login'
						? 401
						: 404;
		res.writeHead(status, { 'Content-Type': 'application/json' });
		res.end(
			JSON.stringify(
				status === 400 ? { message: 'Instance owner already setup' } : { status: 'ok' },
			),
		);
	});
	await new Promise<void>((resolve) => server.listen(0, resolve));
	return {
		port: (server.address() as AddressInfo).port,
		routes,
		close: () => new Promise((resolve) => server.close(() => resolve())),
	};
}
