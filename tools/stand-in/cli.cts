/**
 * `npm run stand-in -- [--port 8787] [--mode async|sync-url|sync-b64] [--api-style uniall|openai] [--latency 1000] [--large]
 *  [--download-delay 0] [--result-shape result.outputs] [--key test-uniall-key] [--honour-idempotency-keys]`
 */
import {
	DEFAULT_API_KEY,
	startStandIn,
	type ApiStyle,
	type ResultShape,
	type StandInMode,
} from './server.cjs';

const USAGE =
	'usage: stand-in [--port 8787] [--mode async|sync-url|sync-b64] [--api-style uniall|openai] [--latency MS] [--large] [--download-delay MS] [--result-shape SHAPE] [--key KEY] [--honour-idempotency-keys]';
const VALUE_FLAGS = new Set([
	'port',
	'mode',
	'api-style',
	'latency',
	'download-delay',
	'result-shape',
	'key',
]);
const SWITCHES = new Set(['large', 'help', 'honour-idempotency-keys']);

function parseArgs(argv: string[]): Map<string, string> {
	const args = new Map<string, string>();
	for (let i = 0; i < argv.length; i++) {
		const name = argv[i].replace(/^--/, '');
		if (SWITCHES.has(name)) args.set(name, 'true');
		else if (VALUE_FLAGS.has(name) && i + 1 < argv.length) args.set(name, argv[++i]);
		else throw new Error(`Unknown or incomplete argument ${argv[i]}\n${USAGE}`);
	}
	return args;
}

function number(args: Map<string, string>, name: string): number | undefined {
	const raw = args.get(name);
	if (raw === undefined) return undefined;
	const value = Number(raw);
	if (!Number.isInteger(value) || value < 0)
		throw new Error(`--${name} needs a whole number, got ${raw}`);
	return value;
}

async function main(): Promise<void> {
	const args = parseArgs(process.argv.slice(2));
	if (args.has('help')) {
		process.stdout.write(`${USAGE}\n`);
		return;
	}
	const apiKey = args.get('key') ?? DEFAULT_API_KEY;
	const standIn = await startStandIn({
		port: number(args, 'port') ?? 8787,
		mode: args.get('mode') as StandInMode | undefined,
		apiStyle: args.get('api-style') as ApiStyle | undefined,
		latencyMs: number(args, 'latency'),
		largeImages: args.has('large'),
		honourIdempotencyKeys: args.has('honour-idempotency-keys'),
		downloadDelayMs: number(args, 'download-delay'),
		resultShape: args.get('result-shape') as ResultShape | undefined,
		apiKey,
		verbose: true,
	});
	const { mode, apiStyle, latencyMs, largeImages, resultShape, honourIdempotencyKeys } =
		standIn.config();
	process.stdout.write(
		`UniAll stand-in listening on ${standIn.url} (${apiStyle} request format, mode ${mode}, latency ${latencyMs} ms, result shape ${resultShape}${largeImages ? ', large images' : ''}${honourIdempotencyKeys ? ', honouring Idempotency-Keys' : ''})\n` +
			`  credential Base URL: ${standIn.url}\n` +
			// A stand-in key the user chose for a local test server, so printing it is what they need.
			`  credential API Key:  ${apiKey}\n` +
			`  admin: POST /__admin/fault | /__admin/config | /__admin/reset, GET /__admin/log | /__admin/config\n`,
	);
	const stop = () => void standIn.close().then(() => process.exit(0));
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

main().catch((error: Error) => {
	process.stderr.write(`${error.message}\n`);
	process.exit(1);
});
