import { randomBytes } from 'node:crypto';
import { deflateSync } from 'node:zlib';

/** PNG writer for the stand-in: real, decodable RGB images, generated fast enough for 4K. */
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
	let c = n;
	for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
	return c >>> 0;
});

function crc32(buf: Buffer): number {
	let c = 0xffffffff;
	for (let i = 0; i < buf.length; i++) c = CRC_TABLE[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
	return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
	const head = Buffer.alloc(8);
	head.writeUInt32BE(data.length, 0);
	head.write(type, 4, 'ascii');
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])));
	return Buffer.concat([head, data, crc]);
}

function encode(width: number, height: number, raw: Buffer, level: number): Buffer {
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(width, 0);
	ihdr.writeUInt32BE(height, 4);
	ihdr[8] = 8;
	ihdr[9] = 2; // RGB
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		chunk('IHDR', ihdr),
		chunk('IDAT', deflateSync(raw, { level })),
		chunk('IEND', Buffer.alloc(0)),
	]);
}

// 3x5 digits, drawn as big blocks so a person can tell images apart at a glance.
const DIGITS = ['111101101101111', '010110010010111', '111001111100111', '111001111001111', '101101111001001', '111100111001111', '111100111101111', '111001001001001', '111101111101111', '111101111001111'];

function hsl(h: number, s: number, l: number): [number, number, number] {
	const a = s * Math.min(l, 1 - l);
	const f = (n: number) => {
		const k = (n + h / 30) % 12;
		return Math.round(255 * (l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1))));
	};
	return [f(0), f(8), f(4)];
}

/** Gradient in a colour taken from `seed`, with `label` (digits) drawn large in the middle. */
export function patternPng(width: number, height: number, seed: number, label: string): Buffer {
	const stride = width * 3 + 1;
	const raw = Buffer.alloc(stride * height);
	const hue = seed % 360;
	// Build one row per band of 8 lines: cheap, and still a visible diagonal pattern.
	for (let y = 0; y < height; y++) {
		const offset = y * stride;
		raw[offset] = 0;
		const [r, g, b] = hsl((hue + (y * 60) / height) % 360, 0.65, 0.35 + (0.3 * y) / height);
		for (let x = 0; x < width; x++) {
			const stripe = ((x + y) >> 6) & 1 ? 18 : 0;
			const p = offset + 1 + x * 3;
			raw[p] = Math.min(255, r + stripe);
			raw[p + 1] = Math.min(255, g + stripe);
			raw[p + 2] = Math.min(255, b + stripe);
		}
	}
	const digits = label.replace(/\D/g, '').slice(0, 6) || '0';
	const cell = Math.max(4, Math.floor(Math.min(width / (digits.length * 4 + 1), height / 7)));
	const left = Math.floor((width - cell * (digits.length * 4 - 1)) / 2);
	const top = Math.floor((height - cell * 5) / 2);
	for (const [i, ch] of [...digits].entries()) {
		const glyph = DIGITS[Number(ch)];
		for (let gy = 0; gy < 5; gy++) {
			for (let gx = 0; gx < 3; gx++) {
				if (glyph[gy * 3 + gx] !== '1') continue;
				for (let y = top + gy * cell; y < top + (gy + 1) * cell; y++) {
					const rowStart = y * stride + 1;
					const x0 = left + (i * 4 + gx) * cell;
					raw.fill(255, rowStart + x0 * 3, rowStart + (x0 + cell) * 3);
				}
			}
		}
	}
	return encode(width, height, raw, 1);
}

/** Random pixels do not compress: a 3840x2160 image comes out at about 24 MB, like a real photo-sized PNG. */
export function noisePng(width: number, height: number): Buffer {
	const stride = width * 3 + 1;
	const raw = randomBytes(stride * height);
	for (let y = 0; y < height; y++) raw[y * stride] = 0;
	return encode(width, height, raw, 0);
}
