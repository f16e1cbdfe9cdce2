/**
 * Reads MIME type and pixel size from the first bytes of PNG, JPEG and WebP files. UniAll's size
 * table is ambiguous, so width and height always come from the bytes, never from the request.
 */
export interface ImageInfo {
	mimeType: 'image/png' | 'image/jpeg' | 'image/webp';
	extension: 'png' | 'jpg' | 'webp';
	width?: number;
	height?: number;
}

/** Enough bytes to find the size of any PNG/WebP and of JPEGs with ordinary metadata. */
export const SNIFF_BYTES = 256 * 1024;

export function sniffImage(bytes: Buffer): ImageInfo | undefined {
	if (isPng(bytes)) return { mimeType: 'image/png', extension: 'png', ...pngSize(bytes) };
	if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) {
		return { mimeType: 'image/jpeg', extension: 'jpg', ...jpegSize(bytes) };
	}
	if (
		bytes.length >= 12 &&
		bytes.toString('ascii', 0, 4) === 'RIFF' &&
		bytes.toString('ascii', 8, 12) === 'WEBP'
	) {
		return { mimeType: 'image/webp', extension: 'webp', ...webpSize(bytes) };
	}
	return undefined;
}

function isPng(b: Buffer): boolean {
	return b.length >= 8 && b.readUInt32BE(0) === 0x89504e47 && b.readUInt32BE(4) === 0x0d0a1a0a;
}

function pngSize(b: Buffer) {
	if (b.length < 24 || b.toString('ascii', 12, 16) !== 'IHDR') return {};
	return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

// Start-of-frame markers carry the size; C4 (huffman tables), C8 (reserved) and CC (arithmetic
// conditioning) share the range but are not frames.
const isSofMarker = (m: number) => m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;

function jpegSize(b: Buffer) {
	let offset = 2;
	while (offset + 4 <= b.length) {
		if (b[offset] !== 0xff) return {};
		const marker = b[offset + 1];
		if (marker === 0xff) {
			offset += 1;
			continue;
		}
		if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
			offset += 2;
			continue;
		}
		const length = b.readUInt16BE(offset + 2);
		if (isSofMarker(marker)) {
			if (offset + 9 > b.length) return {};
			return { height: b.readUInt16BE(offset + 5), width: b.readUInt16BE(offset + 7) };
		}
		offset += 2 + length;
	}
	return {};
}

function webpSize(b: Buffer) {
	const chunk = b.toString('ascii', 12, 16);
	if (chunk === 'VP8X' && b.length >= 30) {
		return { width: 1 + b.readUIntLE(24, 3), height: 1 + b.readUIntLE(27, 3) };
	}
	if (chunk === 'VP8 ' && b.length >= 30) {
		return { width: b.readUInt16LE(26) & 0x3fff, height: b.readUInt16LE(28) & 0x3fff };
	}
	if (chunk === 'VP8L' && b.length >= 25) {
		const bits = b.readUInt32LE(21);
		return { width: (bits & 0x3fff) + 1, height: ((bits >> 14) & 0x3fff) + 1 };
	}
	return {};
}

/** Decoded size of a base64 string, without decoding it. */
export function base64Bytes(b64: string): number {
	const clean = b64.replace(/\s/g, '');
	const padding = clean.endsWith('==') ? 2 : clean.endsWith('=') ? 1 : 0;
	return Math.floor((clean.length * 3) / 4) - padding;
}
