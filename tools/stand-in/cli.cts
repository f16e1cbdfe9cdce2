/** `npm run stand-in -- [--port 8787] [--mode async|sync-url|sync-b64] [--latency 1000] [--large] [--key K]` */
import { startStandIn, type StandInMode } from './server.cjs';

function arg(name: string): string | undefined {
	const i = process.argv.indexOf(`--${name}`);
	return i > 0 ? process.argv[i + 1] : undefined;
}

async function main() {
	const standIn = await startStandIn({
		port: Number(arg('port') ?? 8787),
		mode: (arg('mode') as StandInMode | undefined) ?? 'async',
		latencyMs: arg('latency') ? Number(arg('latency')) : undefined,
		largeImages: process.argv.includes('--large'),
		apiKey: arg('key'),
		verbose: true,
	});
	process.stdout.write(
		`UniAll stand-in listening on ${standIn.url}\n` +
			`  credential Base URL: ${standIn.url}\n` +
			`  credential API Key:  ${arg('key') ? '(the --key you gave)' : 'test-uniall-key'}\n` +
			`  admin: POST /__admin/fault | /__admin/config | /__admin/reset, GET /__admin/log\n`,
	);
	const stop = async () => {
		await standIn.close();
		process.exit(0);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

void main();
