/**
 * The images the stand-in has "generated": a file id maps to what to draw, and the PNG bytes are
 * rendered on first download and kept in a size-bounded cache. Rendering is deterministic, so an
 * evicted image re-renders to the very same bytes (tests compare downloads with fileBytes()).
 */
import { encodePng, encodePngSync, noiseImage, patternImage, type RawImage } from './png.cjs';

export interface ImageSpec {
	width: number;
	height: number;
	/** Colour seed from the prompt hash. */
	seed: number;
	/** Digits drawn on the image (row or request number). */
	label: string;
	/** Incompressible noise instead of the pattern. */
	large: boolean;
}

/** Big enough for a few dozen 4K noise images, small enough for a CI runner. */
const CACHE_LIMIT_BYTES = 512 * 1024 * 1024;

export class ImageStore {
	private readonly specs = new Map<string, ImageSpec>();
	private readonly cache = new Map<string, Buffer>();
	private readonly rendering = new Map<string, Promise<Buffer>>();
	private cachedBytes = 0;

	add(id: string, spec: ImageSpec): void {
		this.specs.set(id, spec);
	}

	has(id: string): boolean {
		return this.specs.has(id);
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
			pending = encodePng(rawFor(spec)).finally(() => this.rendering.delete(key));
			this.rendering.set(key, pending);
		}
		const png = await pending;
		this.put(key, png);
		return png;
	}

	renderSync(id: string): Buffer | undefined {
		const spec = this.specs.get(id);
		if (!spec) return undefined;
		const key = cacheKey(spec);
		const png = this.get(key) ?? encodePngSync(rawFor(spec));
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

// Noise depends only on the size (one cached image per size); patterns on size, colour and digits.
const cacheKey = (s: ImageSpec) =>
	s.large ? `noise:${s.width}x${s.height}` : `pattern:${s.width}x${s.height}:${s.seed}:${s.label}`;

const rawFor = (s: ImageSpec): RawImage =>
	s.large
		? noiseImage(s.width, s.height, s.width * 65536 + s.height)
		: patternImage(s.width, s.height, s.seed, s.label);
