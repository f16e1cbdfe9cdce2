import { deflateSync } from 'node:zlib';

/** Builds minimal but valid image files so tests can check sniffing against known sizes. */
function crc32(buf: Buffer): number {
	let crc = ~0;
	for (const byte of buf) {
		crc ^= byte;
		for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
	}
	return ~crc >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
	const length = Buffer.alloc(4);
	length.writeUInt32BE(data.length);
	const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(body));
	return Buffer.concat([length, body, crc]);
}

/** A real, decodable greyscale PNG. */
export function png(width: number, height: number, shade = 128): Buffer {
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(width, 0);
	ihdr.writeUInt32BE(height, 4);
	ihdr[8] = 8; // bit depth
	ihdr[9] = 0; // greyscale
	const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(width, shade)]);
	const raw = Buffer.concat(Array.from({ length: height }, () => row));
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		chunk('IHDR', ihdr),
		chunk('IDAT', deflateSync(raw)),
		chunk('IEND', Buffer.alloc(0)),
	]);
}

/** JPEG header up to the frame marker, with an APP1 segment in front as cameras write. */
export function jpeg(width: number, height: number, app1Bytes = 100): Buffer {
	const app1 = Buffer.alloc(4 + app1Bytes);
	app1.writeUInt16BE(0xffe1, 0);
	app1.writeUInt16BE(app1Bytes + 2, 2);
	const sof = Buffer.from([0xff, 0xc0, 0x00, 0x11, 0x08, 0, 0, 0, 0, 0x03, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
	sof.writeUInt16BE(height, 5);
	sof.writeUInt16BE(width, 7);
	return Buffer.concat([Buffer.from([0xff, 0xd8]), app1, sof, Buffer.from([0xff, 0xd9])]);
}

export function webpVp8x(width: number, height: number): Buffer {
	const b = Buffer.alloc(30);
	b.write('RIFF', 0, 'ascii');
	b.writeUInt32LE(22, 4);
	b.write('WEBP', 8, 'ascii');
	b.write('VP8X', 12, 'ascii');
	b.writeUInt32LE(10, 16);
	b.writeUIntLE(width - 1, 24, 3);
	b.writeUIntLE(height - 1, 27, 3);
	return b;
}

export function webpLossless(width: number, height: number): Buffer {
	const b = Buffer.alloc(30);
	b.write('RIFF', 0, 'ascii');
	b.write('WEBP', 8, 'ascii');
	b.write('VP8L', 12, 'ascii');
	b[20] = 0x2f;
	b.writeUInt32LE((width - 1) | ((height - 1) << 14), 21);
	return b;
}

export function webpLossy(width: number, height: number): Buffer {
	const b = Buffer.alloc(30);
	b.write('RIFF', 0, 'ascii');
	b.write('WEBP', 8, 'ascii');
	b.write('VP8 ', 12, 'ascii');
	b.set([0x9d, 0x01, 0x2a], 23);
	b.writeUInt16LE(width, 26);
	b.writeUInt16LE(height, 28);
	return b;
}
