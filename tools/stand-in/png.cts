/**
 * PNG writer for the stand-in: real, decodable 8-bit RGB images built with node's zlib only.
 * Pixels are filled with native Buffer.fill runs, and compression runs on libuv's thread pool,
 * so even a 4K image costs tens of milliseconds and never stalls the server's event loop.
 */
import zlib from 'node:zlib';
import { promisify } from 'node:util';

const deflate = promisify(zlib.deflate);

// zlib.crc32 is native from Node 20.15 (the engines floor); the table is a fallback for older ones.
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
	let c = n;
	for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
	return c >>> 0;
});
const crc32 = (data: Buffer): number => {
	if (typeof zlib.crc32 === 'function') return zlib.crc32(data);
	let c = 0xffffffff;
	for (let i = 0; i < data.length; i++) c = CRC_TABLE[(c ^ data[i]) & 0xff] ^ (c >>> 8);
	return (c ^ 0xffffffff) >>> 0;
};

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function chunk(type: string, data: Buffer): Buffer {
	const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
	const length = Buffer.alloc(4);
	length.writeUInt32BE(data.length);
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(typeAndData));
	return Buffer.concat([length, typeAndData, crc]);
}

/**
 * PNG colour types this writer emits: 2 = RGB (3 bytes a pixel), 0 = greyscale (1 byte a pixel),
 * 6 = RGB with alpha (4 bytes a pixel).
 */
const COLOUR_TYPE = { rgb: 2, grey: 0, rgba: 6 } as const;
export const CHANNELS = { rgb: 3, grey: 1, rgba: 4 } as const;

function assemble(image: RawImage, idat: Buffer): Buffer {
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(image.width, 0);
	ihdr.writeUInt32BE(image.height, 4);
	ihdr[8] = 8; // bit depth
	ihdr[9] = COLOUR_TYPE[image.colour ?? 'rgb'];
	return Buffer.concat([
		SIGNATURE,
		chunk('IHDR', ihdr),
		chunk('IDAT', idat),
		chunk('IEND', Buffer.alloc(0)),
	]);
}

/** Raw scanlines: each row is a filter byte (0 = none) followed by width pixels (RGB or grey). */
export interface RawImage {
	width: number;
	height: number;
	raw: Buffer;
	/** zlib level: 1 for patterns (fast, still small), 0 for noise (it does not compress anyway), -1 zlib's default. */
	level: number;
	/** 'rgb' (the default), 'rgba' (cutOut) or 'grey' (the small test images of test/helpers/imageBytes.cts). */
	colour?: keyof typeof COLOUR_TYPE;
}

export async function encodePng(image: RawImage): Promise<Buffer> {
	return assemble(image, await deflate(image.raw, { level: image.level }));
}

/** Same bytes as encodePng, for callers that cannot wait (StandIn.fileBytes, test images). */
export function encodePngSync(image: RawImage): Buffer {
	return assemble(image, zlib.deflateSync(image.raw, { level: image.level }));
}

/** An 8-bit greyscale image of one `shade`: a real, decodable PNG for tests that need one. */
export function greyPng(width: number, height: number, shade: number): Buffer {
	const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(width, shade)]);
	return encodePngSync({
		width,
		height,
		raw: Buffer.concat(Array.from({ length: height }, () => row)),
		level: -1,
		colour: 'grey',
	});
}

// 3x5 digit glyphs, drawn as big blocks so a person can tell the images of a run apart.
const DIGITS = [
	'111101101101111',
	'010110010010111',
	'111001111100111',
	'111001111001111',
	'101101111001001',
	'111100111001111',
	'111100111101111',
	'111001001001001',
	'111101111101111',
	'111101111001111',
];

function hsl(h: number, s: number, l: number): [number, number, number] {
	const a = s * Math.min(l, 1 - l);
	const f = (n: number) => {
		const k = (n + h / 30) % 12;
		return Math.round(255 * (l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1))));
	};
	return [f(0), f(8), f(4)];
}

const STRIPE = 64;

/**
 * `flatImages`: a vertical gradient in a hue taken from `seed` (the prompt hash), crossed by diagonal stripes,
 * with the digits of `label` drawn large in the middle.
 */
export function patternImage(width: number, height: number, seed: number, label: string): RawImage {
	const stride = width * 3 + 1;
	const raw = Buffer.alloc(stride * height);
	const hue = seed % 360;
	const dark = Buffer.alloc(3);
	const light = Buffer.alloc(3);
	for (let y = 0; y < height; y++) {
		const [r, g, b] = hsl((hue + (y * 60) / height) % 360, 0.65, 0.3 + (0.3 * y) / height);
		dark.set([r, g, b]);
		light.set([Math.min(255, r + 24), Math.min(255, g + 24), Math.min(255, b + 24)]);
		const pixels = y * stride + 1;
		// Runs of STRIPE pixels along x, shifted by y: a diagonal stripe with one native fill per run.
		for (let x = 0, band = Math.floor(y / STRIPE); x < width; band++) {
			const end = Math.min(width, (band + 1) * STRIPE - y);
			if (end > x) raw.fill(band & 1 ? light : dark, pixels + x * 3, pixels + end * 3);
			x = Math.max(x, end);
		}
	}
	drawDigits(raw, width, height, label);
	return { width, height, raw, level: 1 };
}

function drawDigits(raw: Buffer, width: number, height: number, label: string): void {
	const stride = width * 3 + 1;
	const digits = label.replace(/\D/g, '').slice(0, 6) || '0';
	const cell = Math.max(2, Math.floor(Math.min(width / (digits.length * 4 + 1), height / 7) * 0.6));
	const left = Math.floor((width - cell * (digits.length * 4 - 1)) / 2);
	const top = Math.floor((height - cell * 5) / 2);
	for (const [i, ch] of [...digits].entries()) {
		const glyph = DIGITS[Number(ch)];
		for (let gy = 0; gy < 5; gy++) {
			for (let gx = 0; gx < 3; gx++) {
				if (glyph[gy * 3 + gx] !== '1') continue;
				const x0 = left + (i * 4 + gx) * cell;
				for (let y = top + gy * cell; y < top + (gy + 1) * cell; y++) {
					raw.fill(255, y * stride + 1 + x0 * 3, y * stride + 1 + (x0 + cell) * 3);
				}
			}
		}
	}
}

/**
 * A photo stand-in: smooth gradients (hue from `seed` down the image, light across it) under a
 * fine texture that changes every few pixels, with the digits of `label` on top. The texture is
 * what flat stripes lack (so PNGs weigh what photo PNGs weigh: 4K ~15 MB) and, unlike pure noise,
 * it is smooth enough for JPEG to shrink it many times. Deterministic: same arguments, same bytes.
 * Measured sizes per tier and format: tools/stand-in/README.md.
 */
export function photoImage(width: number, height: number, seed: number, label: string): RawImage {
	const stride = width * 3 + 1;
	const raw = Buffer.alloc(stride * height);
	const hue = seed % 360;
	const random = xorshift(seed ^ 0x9e3779b9);
	// Texture: random levels on a grid every CELL pixels, blended between grid points.
	const gw = Math.ceil(width / CELL) + 2;
	const grid = new Float32Array(gw * (Math.ceil(height / CELL) + 2));
	for (let i = 0; i < grid.length; i++) grid[i] = ((random() & 0xff) / 255 - 0.5) * 2 * TEXTURE;
	const light = new Float32Array(width);
	for (let x = 0; x < width; x++) light[x] = 0.75 + 0.25 * Math.sin((Math.PI * x) / width);
	for (let y = 0; y < height; y++) {
		const [r, g, b] = hsl((hue + (y * 90) / height) % 360, 0.55, 0.25 + (0.45 * y) / height);
		const gy = Math.floor(y / CELL);
		const fy = (y % CELL) / CELL;
		const top = gy * gw;
		const below = top + gw;
		let o = y * stride + 1;
		for (let x = 0; x < width; x++) {
			const gx = Math.floor(x / CELL);
			const fx = (x % CELL) / CELL;
			const t =
				(grid[top + gx] * (1 - fx) + grid[top + gx + 1] * fx) * (1 - fy) +
				(grid[below + gx] * (1 - fx) + grid[below + gx + 1] * fx) * fy;
			const k = light[x];
			raw[o++] = r * k + t;
			raw[o++] = g * k + t;
			raw[o++] = b * k + t;
		}
	}
	drawDigits(raw, width, height, label);
	return { width, height, raw, level: 1 };
}

/**
 * `background: "transparent"`: an RGB image cut out as a product shot is, the picture inside a
 * centred ellipse and fully transparent (alpha 0) around it.
 */
export function cutOut(image: RawImage): RawImage {
	const { width, height } = image;
	const stride = width * 4 + 1;
	const raw = Buffer.alloc(stride * height);
	for (let y = 0; y < height; y++) {
		const dy = (y + 0.5 - height / 2) / (height / 2);
		const half = dy * dy < 1 ? Math.floor((width / 2) * Math.sqrt(1 - dy * dy)) : 0;
		const from = y * (width * 3 + 1) + 1;
		for (let x = Math.floor(width / 2) - half; x < Math.floor(width / 2) + half; x++) {
			const o = y * stride + 1 + x * 4;
			image.raw.copy(raw, o, from + x * 3, from + x * 3 + 3);
			raw[o + 3] = 255;
		}
	}
	return { width, height, raw, level: image.level, colour: 'rgba' };
}

/** Texture: grid spacing in pixels and amplitude in levels (±), tuned to the sizes above. */
const CELL = 4;
const TEXTURE = 20;

function xorshift(seed: number): () => number {
	let x = seed >>> 0 || 1;
	return () => {
		x ^= x << 13;
		x ^= x >>> 17;
		x ^= x << 5;
		return x >>> 0;
	};
}

/**
 * Pseudo-random pixels (xorshift32 from `seed`): deflate cannot shrink them, so a 3840x2160 image
 * is ~24 MB like a real photographic PNG, and the same seed always gives the same bytes.
 */
export function noiseImage(width: number, height: number, seed: number): RawImage {
	const stride = width * 3 + 1;
	const words = new Uint32Array(Math.ceil((stride * height) / 4));
	let x = seed >>> 0 || 0x9e3779b9;
	for (let i = 0; i < words.length; i++) {
		x ^= x << 13;
		x ^= x >>> 17;
		x ^= x << 5;
		words[i] = x >>> 0;
	}
	const raw = Buffer.from(words.buffer, 0, stride * height);
	for (let y = 0; y < height; y++) raw[y * stride] = 0;
	return { width, height, raw, level: 0 };
}
