import { sleep, type IExecuteFunctions } from 'n8n-workflow';

import { MAX_DOWNLOAD_BYTES, MAX_DOWNLOAD_REDIRECTS } from '../helpers/contract';
import {
	CancelledError,
	downloadInterrupted,
	downloadTimeout,
	imageTooLarge,
	mapDownloadFailure,
	notAnImage,
	refusedRedirect,
	tooManyRedirects,
	type ApiFailure,
	type DownloadFacts,
	type MappedError,
} from '../helpers/errors';
import { sniffImage, SNIFF_BYTES, type ImageInfo } from '../helpers/imageInfo';
import { nextRetry, parseRetryAfter, type RetryState } from '../helpers/retry';
import { checkResultUrl } from '../helpers/urls';
import type { RunContext } from '../runState/runContext';
import { backOff, waitForGate } from '../runState/pause';
import { networkCodeOf } from './api';
import { untilDeadline, type Readable } from './bounded';
import { uniallApiError } from './nodeErrors';

interface HttpAnswer {
	body: Readable;
	headers: Record<string, unknown>;
	statusCode: number;
}

export interface DownloadedImage {
	/**
	 * The whole image: a Buffer when it was small enough
	 * to arrive while sniffing, else the live stream.
	 */
	body: Buffer | Readable;
	/**
	 * Always set: a body that is not a PNG, JPEG or WebP image is refused before anything is stored.
	 */
	info: ImageInfo;
	/** Bytes of the image seen so far; final once `body` has been consumed. */
	bytesRead: () => number;
}

/**
 * What the row knows about the image, for the words of a failure (task to fetch again, Timeout).
 */
export interface DownloadContext {
	taskId?: string;
	timeoutMs?: number;
	fetchedByGetTask?: boolean;
}

const TOO_LARGE = imageTooLarge(MAX_DOWNLOAD_BYTES);

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/**
 * Downloads one result image. It uses the plain HTTP helper on purpose: image hosts must never
 * receive the API key. Redirects are followed here, not by the HTTP client, so every hop is
 * checked with the result-URL policy before it is requested. Failures before the image is handed
 * on are retried like any read, with the same retry policy and rate gate as UniAll's API; the
 * body is handed on as a stream so n8n's binary store can write it without holding it all in
 * memory, and only once its first bytes sniff as an image.
 */
export async function downloadImage(
	this: IExecuteFunctions,
	url: string,
	itemIndex: number,
	run: RunContext,
	deadline: number,
	context: DownloadContext = {},
): Promise<DownloadedImage> {
	const facts: DownloadFacts = { url, ...context };
	const fail = (mapped: MappedError, failure?: ApiFailure) =>
		uniallApiError(this, mapped, itemIndex, failure);
	const retries: RetryState = { errors: 0, rateLimits: 0 };
	const gate = run.gates.forImage(url);
	for (let attempt = 0; ; attempt++) {
		// The image is billed already: it is tried at least once, whatever the gate says.
		await waitForGate(run, gate, deadline, () => fail(downloadTimeout(facts)), attempt === 0);
		if (deadline - Date.now() <= 0) throw fail(downloadTimeout(facts));
		let failure: ApiFailure;
		const answer = await followRedirects.call(this, url, run, deadline, facts);
		if (run.signal?.aborted) throw new CancelledError();
		if ('refused' in answer) throw fail(answer.refused);
		if (
			'response' in answer &&
			answer.response.statusCode >= 200 &&
			answer.response.statusCode < 300
		) {
			const { response } = answer;
			const declared = Number(response.headers?.['content-length']);
			if (declared > MAX_DOWNLOAD_BYTES) {
				response.body.destroy();
				throw fail(TOO_LARGE);
			}
			const body = await guardedBody(response, deadline, run, {
				tooLarge: () => fail(TOO_LARGE),
				notImage: () => fail(notAnImage(facts, headerText(response.headers, 'content-type'))),
				timeout: () => fail(downloadTimeout(facts)),
				interrupted: (code) => fail(downloadInterrupted(facts, code)),
			});
			if (!('lostHead' in body)) return body;
			// Nothing was handed on yet: a connection lost while sniffing is retried like any read.
			failure = body.lostHead;
		} else if ('response' in answer) {
			const { response } = answer;
			response.body.destroy();
			failure = {
				status: response.statusCode,
				retryAfterSeconds: parseRetryAfter(response.headers?.['retry-after']),
			};
		} else {
			failure = answer.failure;
		}
		// An image host's 429 is a rate limit like UniAll's: waited out by every row using that host.
		const step = nextRetry(
			retries,
			{ ...failure, rateLimited: failure.status === 429 },
			'read',
			run.maxRetries,
			deadline - Date.now(),
		);
		if (step.action !== 'wait')
			throw fail(
				Date.now() >= deadline ? downloadTimeout(facts) : mapDownloadFailure(failure, facts),
				failure,
			);
		await backOff(run, gate, step);
	}
}

type HopOutcome = { response: HttpAnswer } | { failure: ApiFailure } | { refused: MappedError };

/**
 * Requests `url`, following at most MAX_DOWNLOAD_REDIRECTS
 * redirects, each checked before it is requested.
 */
async function followRedirects(
	this: IExecuteFunctions,
	url: string,
	run: RunContext,
	deadline: number,
	facts: DownloadFacts,
): Promise<HopOutcome> {
	let current = url;
	let previous: string | undefined;
	for (let hop = 0; ; hop++) {
		const refusal = checkResultUrl(current, run.baseUrl, previous);
		if (refusal) return { refused: refusedRedirect(facts, refusal) };
		// The client's timeout is an idle timer: a host trickling its headers is cut at the deadline,
		// and the hop's own controller (linked to the execution's) closes its connection then.
		const hopAbort = linkedAbort(run.signal);
		const request = this.helpers.httpRequest({
			method: 'GET',
			url: current,
			encoding: 'stream',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			disableFollowRedirect: true,
			timeout: Math.max(1, deadline - Date.now()),
			abortSignal: hopAbort.signal,
		}) as Promise<HttpAnswer>;
		const sent = await untilDeadline(request, deadline, run.signal);
		hopAbort.unlink();
		if (!('value' in sent)) {
			hopAbort.abort();
			request.then(
				(late) => late.body.destroy(),
				() => {},
			);
		}
		if ('timeout' in sent || 'cancelled' in sent) return { failure: { networkCode: 'ETIMEDOUT' } };
		if ('error' in sent) return { failure: { networkCode: networkCodeOf(sent.error) } };
		const response = sent.value;
		const location = headerText(response.headers, 'location');
		if (!REDIRECT_STATUSES.has(response.statusCode) || !location) return { response };
		response.body.destroy();
		if (hop >= MAX_DOWNLOAD_REDIRECTS)
			return { refused: tooManyRedirects(facts, MAX_DOWNLOAD_REDIRECTS) };
		previous = current;
		// A relative Location is resolved against the address that sent it, as browsers do.
		current = URL.canParse(location, current) ? new URL(location, current).href : location;
	}
}

/**
 * A controller of one hop's own, aborted with the execution: downloads use the plain
 * `httpRequest`, so the node can end a request it gave up on (UniAll's authenticated calls get
 * n8n's own signal and cannot be ended this way).
 */
function linkedAbort(signal?: AbortSignal) {
	const controller = new AbortController();
	const follow = () => controller.abort();
	if (signal?.aborted) controller.abort();
	else signal?.addEventListener('abort', follow, { once: true });
	return {
		signal: controller.signal,
		abort: follow,
		unlink: () => signal?.removeEventListener('abort', follow),
	};
}

function headerText(
	headers: Record<string, unknown> | undefined,
	name: string,
): string | undefined {
	const value = headers?.[name];
	const text = Array.isArray(value) ? value[0] : value;
	return typeof text === 'string' && text.trim() !== '' ? text.trim() : undefined;
}

interface BodyErrors {
	tooLarge: () => Error;
	notImage: () => Error;
	timeout: () => Error;
	interrupted: (networkCode?: string) => Error;
}

/**
 * Reads the first bytes to learn type and size and refuses what is not an image; puts them back
 * and watches the rest as it flows: over the size cap or past the deadline the stream is
 * destroyed, which fails the write. Errors the stream raises itself (a reset surfaces as
 * "aborted") are reworded before n8n's binary store sees them.
 */
async function guardedBody(
	response: HttpAnswer,
	deadline: number,
	run: RunContext,
	errors: BodyErrors,
): Promise<DownloadedImage | { lostHead: ApiFailure }> {
	const source = response.body;
	const ours = new OwnErrors();
	watchDeadline(source, deadline, () => source.destroy(ours.mark(errors.timeout())));
	const read = await readHead(source, SNIFF_BYTES).catch((error: unknown) => ({ error }));
	if ('error' in read) {
		source.destroy();
		if (run.signal?.aborted) throw new CancelledError();
		if (ours.has(read.error)) throw read.error as Error;
		// The connection broke while the first bytes were
		// read: nothing was handed on, so it can be retried.
		return { lostHead: { networkCode: networkCodeOf(read.error) } };
	}
	const { head, ended } = read;
	const info = sniffImage(head);
	if (!info) {
		source.destroy();
		throw errors.notImage();
	}
	if (ended) {
		if (head.length > MAX_DOWNLOAD_BYTES) throw errors.tooLarge();
		return { body: head, info, bytesRead: () => head.length };
	}
	let total = 0;
	// Bytes are counted as the consumer takes them, whichever way it reads (pipe, a 'data'
	// listener, read()): a listener of our own would start the flow before n8n attaches, and
	// pausing instead stalls consumers that only add a 'data' listener (n8n 1.x's memory store).
	watchStream(source, run, errors, ours, (chunk) => {
		total += chunk.length;
		if (total > MAX_DOWNLOAD_BYTES) source.destroy(ours.mark(errors.tooLarge()));
	});
	source.unshift(head);
	return { body: source, info, bytesRead: () => total };
}

/** Longest wait between two looks at a download in progress (bounds the timer left after it). */
const WATCH_SLICE_MS = 1000;

/**
 * The HTTP client's timeout ends once the headers are in, so a body that stalls (or trickles)
 * would hold the row forever. Checks the stream in slices until it is done or the deadline
 * passes; built on n8n-workflow's `sleep`, as node code may not set timers itself.
 */
function watchDeadline(source: Readable, deadline: number, onTimeout: () => void): void {
	const done = () => source.destroyed || source.readableEnded;
	void (async () => {
		while (!done() && Date.now() < deadline)
			await sleep(Math.min(WATCH_SLICE_MS, Math.max(1, deadline - Date.now())));
		if (!done()) onTimeout();
	})();
}

/**
 * The stream goes to n8n's binary store, which rejects with whatever error the stream emits
 * (a bare "aborted" for a reset mid-body). Community nodes cannot wrap it in a Transform (no
 * node:stream), so the stream's own errors are reworded as they are emitted; the errors this
 * module raised itself (timeout, size cap) pass unchanged. Every chunk handed out goes past
 * `onData` on its way.
 */
function watchStream(
	source: Readable,
	run: RunContext,
	errors: BodyErrors,
	ours: OwnErrors,
	onData: (chunk: Buffer) => void,
): void {
	const emit = source.emit.bind(source) as (event: string | symbol, ...args: unknown[]) => boolean;
	source.emit = ((event: string | symbol, ...args: unknown[]) => {
		const error = args[0];
		if (event === 'data') onData(args[0] as Buffer);
		if (event !== 'error' || ours.has(error)) return emit(event, ...args);
		if (run.signal?.aborted) return emit('error', ours.mark(new CancelledError()));
		return emit('error', ours.mark(errors.interrupted(networkCodeOf(error))));
	}) as typeof source.emit;
}

/** The errors this module raised on a stream, told apart from the stream's own. */
class OwnErrors {
	private readonly errors = new WeakSet<object>();

	mark<T extends Error>(error: T): T {
		this.errors.add(error);
		return error;
	}

	has(error: unknown): boolean {
		return typeof error === 'object' && error !== null && this.errors.has(error);
	}
}

async function readHead(
	source: Readable,
	bytes: number,
): Promise<{ head: Buffer; ended: boolean }> {
	return await new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		const finish = (ended: boolean) => {
			source.off('readable', onReadable);
			source.off('end', onEnd);
			source.off('error', onError);
			resolve({ head: Buffer.concat(chunks), ended });
		};
		const onReadable = () => {
			let chunk: Buffer | null;
			while (size < bytes && (chunk = source.read() as Buffer | null) !== null) {
				chunks.push(chunk);
				size += chunk.length;
			}
			if (size >= bytes) finish(false);
		};
		const onEnd = () => finish(true);
		// Stays attached: a later error of a stream given up on must not go unhandled.
		const onError = (error: Error) => {
			source.off('readable', onReadable);
			source.off('end', onEnd);
			reject(error);
		};
		source.on('readable', onReadable);
		source.on('end', onEnd);
		source.on('error', onError);
	});
}
