import { sleep } from 'n8n-workflow';

import { DEFAULT_MODEL, ROUTES } from '../../nodes/UniAllGptImage2/helpers/contract';
import { TEST_API_KEY } from '../helpers/credentials';

/** A bare HTTP client for the stand-in tests: what any UniAll client would send, no node code. */

export const AUTH = { Authorization: `Bearer ${TEST_API_KEY}` };

export const validRequest = {
	model: DEFAULT_MODEL,
	generation_mode: 'text_to_image',
	prompt: 'a red fox in the snow',
	aspect_ratio: '1:1',
	resolution: '1K',
	num_images: 1,
};

export interface JsonAnswer {
	status: number;
	headers: Headers;
	json: Record<string, unknown> & {
		error?: { message: string; type: string; param: string | null; code: string };
	};
}

export async function request(url: string, init: RequestInit = {}): Promise<JsonAnswer> {
	const res = await fetch(url, init);
	return {
		status: res.status,
		headers: res.headers,
		json: (await res.json()) as JsonAnswer['json'],
	};
}

export async function postGeneration(
	baseUrl: string,
	body: unknown,
	headers: Record<string, string> = AUTH,
): Promise<JsonAnswer> {
	return await request(`${baseUrl}${ROUTES.generations}`, {
		method: 'POST',
		headers: { ...headers, 'Content-Type': 'application/json' },
		body: typeof body === 'string' ? body : JSON.stringify(body),
	});
}

export async function getTask(
	baseUrl: string,
	taskId: string,
	headers: Record<string, string> = AUTH,
): Promise<JsonAnswer> {
	return await request(`${baseUrl}${ROUTES.task(taskId)}`, { headers });
}

/** Polls until the task leaves the running states, returning every answer seen. */
export async function pollTask(
	baseUrl: string,
	taskId: string,
	everyMs = 25,
	timeoutMs = 5000,
): Promise<Array<Record<string, unknown>>> {
	const seen: Array<Record<string, unknown>> = [];
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		const { json } = await getTask(baseUrl, taskId);
		seen.push(json);
		if (json.status !== 'queued' && json.status !== 'in_progress') return seen;
		await sleep(everyMs);
	}
	throw new Error(`task ${taskId} did not finish within ${timeoutMs} ms`);
}

export async function download(
	url: string,
	headers: Record<string, string> = {},
): Promise<{ status: number; type: string | null; bytes: Buffer }> {
	const res = await fetch(url, { headers });
	return {
		status: res.status,
		type: res.headers.get('content-type'),
		bytes: Buffer.from(await res.arrayBuffer()),
	};
}

export const dataUrl = (mime: string, bytes: Buffer) =>
	`data:${mime};base64,${bytes.toString('base64')}`;
