/**
 * Generation jobs: what an accepted POST creates. A job's state is derived from the clock
 * (queued → in_progress → completed/failed over its latency), so there are no timers to clean up.
 */
import { createHash, randomUUID } from 'node:crypto';

import type { OutputFormat } from '../../nodes/UniAllGptImage2/helpers/contract';
import type { ImageStore } from './images.cjs';
import type { PromptMagic } from './magic.cjs';
import type { ResultShape } from './types.cjs';

/** What either API style asks for, once validated: the prompt, how many images and their pixel size. */
export interface JobRequest {
	prompt: string;
	count: number;
	width: number;
	height: number;
	/** OpenAI style `response_format: "b64_json"`: answer inline whatever the mode. */
	b64?: boolean;
	/** The reference images as the request named them (UniAll `image_url`, OpenAI `image`), for echoing. */
	references?: string[];
	/** `output_format` (default png) and `output_compression` (jpeg/webp quality, default 100). */
	format?: OutputFormat;
	compression?: number;
	/** `background: "transparent"`: the picture is cut out, on a transparent background. */
	transparent?: boolean;
}

export interface Job {
	id: string;
	createdAt: number;
	latencyMs: number;
	fileIds: string[];
	fail: boolean;
	request: JobRequest;
}

export class JobStore {
	private readonly jobs = new Map<string, Job>();
	private counter = 0;

	constructor(private readonly images: ImageStore) {}

	create(
		request: JobRequest,
		magic: PromptMagic,
		options: { latencyMs: number; largeImages: boolean; flatImages: boolean },
	): Job {
		const number = ++this.counter;
		const count = Math.min(request.count, magic.deliver ?? request.count);
		const { width, height } = request;
		const seed = parseInt(createHash('sha1').update(request.prompt).digest('hex').slice(0, 8), 16);
		const label = String(magic.row ?? number);
		const fileIds = Array.from({ length: count }, (_, i) => {
			const id = `img-${number}-${i + 1}-${randomUUID().slice(0, 8)}`;
			this.images.add(id, {
				width,
				height,
				seed,
				label,
				large: options.largeImages,
				flat: options.flatImages,
				format: request.format ?? 'png',
				quality: request.compression ?? 100,
				transparent: request.transparent,
			});
			return id;
		});
		const job: Job = {
			id: `task_${randomUUID().replace(/-/g, '').slice(0, 24)}`,
			createdAt: Date.now(),
			latencyMs: options.latencyMs + magic.slowMs,
			fileIds,
			fail: magic.failTask,
			request,
		};
		this.jobs.set(job.id, job);
		return job;
	}

	get(id: string): Job | undefined {
		return this.jobs.get(id);
	}

	clear(): void {
		this.jobs.clear();
	}
}

const seconds = (ms: number) => Math.floor(ms / 1000);

/** The POST answer in async mode. */
export function submittedView(job: Job): Record<string, unknown> {
	return {
		id: job.id,
		task_id: job.id,
		object: 'image.task',
		status: 'queued',
		progress: 0,
		created: seconds(job.createdAt),
	};
}

/** GET /v1/images/tasks/{id}: progress grows with elapsed / latency until the job ends. */
export function taskView(
	job: Job,
	urls: string[],
	shape: ResultShape,
	now = Date.now(),
): Record<string, unknown> {
	const base = {
		id: job.id,
		task_id: job.id,
		object: 'image.task',
		created: seconds(job.createdAt),
	};
	const elapsed = now - job.createdAt;
	if (elapsed < job.latencyMs) {
		const progress = Math.min(99, Math.floor((100 * elapsed) / job.latencyMs));
		return { ...base, status: progress < 10 ? 'queued' : 'in_progress', progress };
	}
	if (job.fail) {
		return {
			...base,
			status: 'failed',
			progress: 100,
			error: { code: 'generation_failed', message: 'The image could not be generated.' },
		};
	}
	return {
		...base,
		status: 'completed',
		progress: 100,
		completed: seconds(job.createdAt + job.latencyMs),
		...resultIn(shape, urls),
	};
}

function resultIn(shape: ResultShape, urls: string[]): Record<string, unknown> {
	switch (shape) {
		case 'result.outputs':
			return { result: { outputs: urls } };
		case 'result.images':
			return { result: { images: urls.map((url) => ({ url })) } };
		case 'data':
			return { data: urls.map((url) => ({ url })) };
		case 'images':
			return { images: urls };
		case 'output':
			return { output: urls };
		case 'image_url':
			return { image_url: urls.length === 1 ? urls[0] : urls };
	}
}
