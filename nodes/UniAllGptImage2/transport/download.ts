import type { IExecuteFunctions } from 'n8n-workflow';

import { MAX_DOWNLOAD_BYTES } from '../helpers/contract';
import { mapApiFailure, type ApiFailure, type MappedError } from '../helpers/errors';
import { sniffImage, SNIFF_BYTES, type ImageInfo } from '../helpers/imageInfo';
import { CancelledError, pause } from '../helpers/pause';
import { backoffDelayMs, isRetryable, parseRetryAfter } from '../helpers/retry';
import type { RunContext } from '../helpers/runContext';
import { DeadlineError, networkCodeOf, uniallApiError } from './api';

/** Node's Readable, named through n8n's own helper type (community nodes may not import node:stream). */
type Readable = Exclude<Parameters<IExecuteFunctions['helpers']['prepareBinaryData']>[0], Buffer>;

export interface DownloadedImage {
	/** The whole image: a Buffer when it was small enough to arrive while sniffing, else the live stream. */
	body: Buffer | Readable;
	info?: ImageInfo;
	/** Bytes of the image seen so far; final once `body` has been consumed. */
	bytesRead: () => number;
}

const TOO_LARGE: MappedError = {
	reason: 'bad_response',
	message: `The generated image is larger than ${MAX_DOWNLOAD_BYTES / 1024 / 1024} MB and was not downloaded`,
	description: 'This limit protects the n8n instance from unexpected downloads.',
};

/**
 * Downloads one result image. It uses the plain HTTP helper on purpose: image hosts must never
 * receive the API key. Failures before the body starts are retried like any read; the body is
 * handed on as a stream so n8n's binary store can write it without holding it all in memory.
 */
export async function downloadImage(
	this: IExecuteFunctions,
	url: string,
	itemIndex: number,
	run: RunContext,
	deadline: number,
): Promise<DownloadedImage> {
	for (let attempt = 0; ; attempt++) {
		const remaining = deadline - Date.now();
		if (remaining <= 0) throw new DeadlineError();
		let failure: ApiFailure | undefined;
		let response: { body: Readable; headers: Record<string, unknown>; statusCode: number } | undefined;
		try {
			response = await this.helpers.httpRequest({
				method: 'GET',
				url,
				encoding: 'stream',
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				timeout: remaining,
				abortSignal: run.signal,
			});
		} catch (error) {
			failure = { networkCode: networkCodeOf(error) };
		}
		if (run.signal?.aborted) throw new CancelledError();
		if (response && response.statusCode >= 200 && response.statusCode < 300) {
			const declared = Number(response.headers?.['content-length']);
			if (declared > MAX_DOWNLOAD_BYTES) {
				response.body.destroy();
				throw uniallApiError(this, TOO_LARGE, itemIndex);
			}
			return await guardedBody(response.body, deadline, () => uniallApiError(this, TOO_LARGE, itemIndex));
		}
		if (response) {
			response.body.destroy();
			failure = { status: response.statusCode, retryAfterSeconds: parseRetryAfter(response.headers?.['retry-after']) };
		}
		failure ??= {};
		if (attempt >= run.maxRetries || !isRetryable('read', failure.status, failure.networkCode)) {
			throw uniallApiError(this, mapApiFailure(failure, 'the image download'), itemIndex, failure);
		}
		const wait = Math.min(backoffDelayMs(attempt, failure.retryAfterSeconds), Math.max(0, deadline - Date.now()));
		await pause(wait, run.signal);
	}
}

/**
 * Reads the first bytes to learn type and size, puts them back, and watches the rest as it
 * flows: over the size cap or past the deadline the stream is destroyed, which fails the write.
 */
async function guardedBody(source: Readable, deadline: number, tooLarge: () => Error): Promise<DownloadedImage> {
	const { head, ended } = await readHead(source, SNIFF_BYTES);
	const info = sniffImage(head);
	if (ended) {
		if (head.length > MAX_DOWNLOAD_BYTES) throw tooLarge();
		return { body: head, info, bytesRead: () => head.length };
	}
	let total = 0;
	source.unshift(head);
	// Counting via a 'data' listener would start the flow before n8n pipes the stream away;
	// pausing right after keeps every byte for the consumer, whose pipe() resumes it.
	source.on('data', (chunk: Buffer) => {
		total += chunk.length;
		if (total > MAX_DOWNLOAD_BYTES) source.destroy(tooLarge());
		else if (Date.now() > deadline) source.destroy(new DeadlineError());
	});
	source.pause();
	return { body: source, info, bytesRead: () => total };
}

async function readHead(source: Readable, bytes: number): Promise<{ head: Buffer; ended: boolean }> {
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
		const onError = (error: Error) => reject(error);
		source.on('readable', onReadable);
		source.on('end', onEnd);
		source.on('error', onError);
	});
}
