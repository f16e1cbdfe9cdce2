/**
 * Generation jobs: what an accepted POST creates. A job's state is derived from the clock
 * (queued → in_progress → completed/failed over its latency), so there are no timers to clean up.
 */
import { createHash, randomUUID } from 'node:crypto';

import type { ImageStore } from './images.cjs';
import type { PromptMagic } from './magic.cjs';
import { imageSizeFor } from './sizes.cjs';
import type { ResultShape } from './types.cjs';
import type { GenerationRequest } from './validate.cjs';

export interface Job {
	id: string;
	createdAt: number;
	latencyMs: number;
	fileIds: string[];
	fail: boolean;
	request: GenerationRequest;
}

export class JobStore {
	private readonly jobs = new Map<string, Job>();
	private counter = 0;

	constructor(private readonly images: ImageStore) {}

	create(request: GenerationRequest, magic: PromptMagic, options: { latencyMs: number; largeImages: boolean }): Job {
		const number = ++this.counter;
		const count = Math.min(request.num_images, magic.deliver ?? request.num_images);
		const { width, height } = imageSizeFor(request.aspect_ratio, request.resolution);
		const seed = parseInt(createHash('sha1').update(request.prompt).digest('hex').slice(0, 8), 16);
		const label = String(magic.row ?? number);
		const fileIds = Array.from({ length: count }, (_, i) => {
			const id = `img-${number}-${i + 1}-${randomUUID().slice(0, 8)}`;
			this.images.add(id, { width, height, seed, label, large: options.largeImages });
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
	return { id: job.id, task_id: job.id, object: 'image.task', status: 'queued', progress: 0, created: seconds(job.createdAt) };
}

/** GET /v1/images/tasks/{id}: progress grows with elapsed / latency until the job ends. */
export function taskView(job: Job, urls: string[], shape: ResultShape, now = Date.now()): Record<string, unknown> {
	const base = { id: job.id, task_id: job.id, object: 'image.task', created: seconds(job.createdAt) };
	const elapsed = now - job.createdAt;
	if (elapsed < job.latencyMs) {
		const progress = Math.min(99, Math.floor((100 * elapsed) / job.latencyMs));
		return { ...base, status: progress < 10 ? 'queued' : 'in_progress', progress };
	}
	if (job.fail) {
		return { ...base, status: 'failed', progress: 100, error: { code: 'generation_failed', message: 'The image could not be generated.' } };
	}
	return { ...base, status: 'completed', progress: 100, completed: seconds(job.createdAt + job.latencyMs), ...resultIn(shape, urls) };
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
