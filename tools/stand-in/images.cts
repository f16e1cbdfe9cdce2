/**
 * The images the stand-in has "generated": a file id maps to what to draw, and the bytes (PNG,
 * JPEG or WebP) are rendered on first download and kept in a size-bounded cache. Rendering is
 * deterministic, so an evicted image re-renders to the very same bytes (tests compare downloads
 * with fileBytes()).
 */
import sharp from 'sharp';

import type { OutputFormat } from '../../nodes/UniAllGptImage2/helpers/contract';
import {
	encodePng,
	encodePngSync,
	CHANNELS,
	cutOut,
	noiseImage,
	patternImage,
	photoImage,
	type RawImage,
} from './png.cjs';

const MIME: Record<OutputFormat, string> = {
	png: 'image/png',
	jpeg: 'image/jpeg',
	webp: 'image/webp',
};
const EXTENSION: Record<OutputFormat, string> = { png: 'png', jpeg: 'jpg', webp: 'webp' };

export interface ImageSpec {
	width: number;
	height: number;
	/** Colour seed from the prompt hash. */
	seed: number;
	/** Digits drawn on the image (row or request number). */
	label: string;
	/** Incompressible noise instead of the photo stand-in. */
	large: boolean;
	/** Flat stripes instead of the photo stand-in (tiny files, fast). */
	flat?: boolean;
	/** Default png. JPEG and WebP are encoded by sharp (libvips) at `quality`. */
	format?: OutputFormat;
	/** 0-100, JPEG and WebP only; default 100 (OpenAI's default output_compression). */
	quality?: number;
	/** Cut out on a transparent background (PNG and WebP with alpha). */
	transparent?: boolean;
}

/** Big enough for a few dozen 4K noise images, small enough for a CI runner. */
const CACHE_LIMIT_BYTES = 512 * 1024 * 1024;

export class ImageStore {
	private readonly specs = new Map<string, ImageSpec>();
	private readonly cache = new Map<string, Buffer>();
	private readonly rendering = new Map<string, Promise<Buffer>>();
	/** Files to render ahead of their download (see prepare()). */
	private readonly waiting: string[] = [];
	private cachedBytes = 0;

	add(id: string, spec: ImageSpec): void {
		this.specs.set(id, spec);
	}

	has(id: string): boolean {
		return this.specs.has(id);
	}

	mimeType(id: string): string {
		return MIME[this.specs.get(id)?.format ?? 'png'];
	}

	extension(id: string): string {
		return EXTENSION[this.specs.get(id)?.format ?? 'png'];
	}

	/** Forget which files exist; rendered bytes stay cached (they depend only on the spec). */
	clear(): void {
		this.specs.clear();
	}

	async render(id: string): Promise<Buffer | undefined> {
		const spec = this.specs.get(id);
		if (!spec) return undefined;
		const key = cacheKey(spec);
		const hit = this.get(key);
		if (hit) return hit;
		// Parallel downloads of one image share one render.
		let pending = this.rendering.get(key);
		if (!pending) {
			pending = encode(spec).finally(() => this.rendering.delete(key));
			this.rendering.set(key, pending);
		}
		const png = await pending;
		this.put(key, png);
		return png;
	}

	/**
	 * Renders `ids` in the background, one per turn of the event loop, so that requests arriving
	 * meanwhile are answered between two renders (a render is up to tens of ms of synchronous CPU).
	 */
	prepare(ids: readonly string[]): void {
		const start = this.waiting.length === 0;
		this.waiting.push(...ids);
		if (start) setImmediate(() => this.prepareNext());
	}

	private prepareNext(): void {
		const id = this.waiting.shift();
		if (id === undefined) return;
		void this.render(id).catch(() => undefined);
		if (this.waiting.length > 0) setImmediate(() => this.prepareNext());
	}

	/** The file's bytes are in the cache (a download would not wait for a render). */
	isRendered(id: string): boolean {
		const spec = this.specs.get(id);
		return spec !== undefined && this.cache.has(cacheKey(spec));
	}

	renderSync(id: string): Buffer | undefined {
		const spec = this.specs.get(id);
		if (!spec) return undefined;
		const key = cacheKey(spec);
		const cached = this.get(key);
		if (cached) return cached;
		// sharp has no synchronous API: a JPEG or WebP is there once it was served (rendered) once.
		if ((spec.format ?? 'png') !== 'png') return undefined;
		const png = encodePngSync(rawFor(spec));
		this.put(key, png);
		return png;
	}

	private get(key: string): Buffer | undefined {
		const png = this.cache.get(key);
		if (png) {
			// Refresh its place in the LRU order.
			this.cache.delete(key);
			this.cache.set(key, png);
		}
		return png;
	}

	private put(key: string, png: Buffer): void {
		if (this.cache.has(key)) return;
		this.cache.set(key, png);
		this.cachedBytes += png.length;
		for (const [oldKey, old] of this.cache) {
			if (this.cachedBytes <= CACHE_LIMIT_BYTES || oldKey === key) break;
			this.cache.delete(oldKey);
			this.cachedBytes -= old.length;
		}
	}
}

// Noise depends only on the size (one cached image per size); photos on size, colour and digits.
const cacheKey = (s: ImageSpec) =>
	(s.large
		? `noise:${s.width}x${s.height}`
		: `${s.flat ? 'flat' : 'photo'}:${s.width}x${s.height}:${s.seed}:${s.label}`) +
	`:${s.format ?? 'png'}:${s.quality ?? 100}${s.transparent ? ':transparent' : ''}`;

function rawFor(s: ImageSpec): RawImage {
	const image = s.large
		? noiseImage(s.width, s.height, s.width * 65536 + s.height)
		: (s.flat ? patternImage : photoImage)(s.width, s.height, s.seed, s.label);
	return s.transparent ? cutOut(image) : image;
}

async function encode(spec: ImageSpec): Promise<Buffer> {
	const image = rawFor(spec);
	const format = spec.format ?? 'png';
	if (format === 'png') return await encodePng(image);
	// sharp wants packed pixels: drop the PNG filter byte that starts each scanline.
	const channels = CHANNELS[image.colour ?? 'rgb'] as 3 | 4;
	const rowBytes = image.width * channels;
	const packed = Buffer.allocUnsafe(rowBytes * image.height);
	for (let y = 0; y < image.height; y++)
		image.raw.copy(packed, y * rowBytes, y * (rowBytes + 1) + 1, (y + 1) * (rowBytes + 1));
	const pixels = sharp(packed, { raw: { width: image.width, height: image.height, channels } });
	const quality = Math.max(1, spec.quality ?? 100);
	return await (format === 'jpeg' ? pixels.jpeg({ quality }) : pixels.webp({ quality })).toBuffer();
}
