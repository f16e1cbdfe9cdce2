import { greyPng } from '../../tools/stand-in/png.cjs';

/** Builds minimal but valid image files so tests can check sniffing against known sizes. */

/** A real, decodable greyscale PNG (the stand-in's encoder). */
export function png(width: number, height: number, shade = 128): Buffer {
	return greyPng(width, height, shade);
}

/** JPEG header up to the frame marker, with an APP1 segment in front as cameras write. */
export function jpeg(width: number, height: number, app1Bytes = 100): Buffer {
	const app1 = Buffer.alloc(4 + app1Bytes);
	app1.writeUInt16BE(0xffe1, 0);
	app1.writeUInt16BE(app1Bytes + 2, 2);
	const sof = Buffer.from([
		0xff, 0xc0, 0x00, 0x11, 0x08, 0, 0, 0, 0, 0x03, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1,
	]);
	sof.writeUInt16BE(height, 5);
	sof.writeUInt16BE(width, 7);
	return Buffer.concat([Buffer.from([0xff, 0xd8]), app1, sof, Buffer.from([0xff, 0xd9])]);
}

/** 30 bytes of a RIFF/WEBP file whose first chunk is `fourCc`; the caller fills in the size fields. */
function webpHeader(fourCc: string): Buffer {
	const b = Buffer.alloc(30);
	b.write('RIFF', 0, 'ascii');
	b.write('WEBP', 8, 'ascii');
	b.write(fourCc, 12, 'ascii');
	return b;
}

export function webpVp8x(width: number, height: number): Buffer {
	const b = webpHeader('VP8X');
	b.writeUInt32LE(22, 4);
	b.writeUInt32LE(10, 16);
	b.writeUIntLE(width - 1, 24, 3);
	b.writeUIntLE(height - 1, 27, 3);
	return b;
}

export function webpLossless(width: number, height: number): Buffer {
	const b = webpHeader('VP8L');
	b[20] = 0x2f;
	b.writeUInt32LE((width - 1) | ((height - 1) << 14), 21);
	return b;
}

export function webpLossy(width: number, height: number): Buffer {
	const b = webpHeader('VP8 ');
	b.set([0x9d, 0x01, 0x2a], 23);
	b.writeUInt16LE(width, 26);
	b.writeUInt16LE(height, 28);
	return b;
}
