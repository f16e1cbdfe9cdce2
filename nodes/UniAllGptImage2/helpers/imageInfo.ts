/**
 * Reads MIME type and pixel size from the first bytes of PNG, JPEG and WebP files. UniAll's size
 * table is ambiguous, so width and height always come from the bytes, never from the request.
 */
export interface ImageInfo {
	mimeType: 'image/png' | 'image/jpeg' | 'image/webp';
	extension: 'png' | 'jpg' | 'webp';
	width?: number;
	height?: number;
	/**
	 * Whether the image can be transparent: a PNG with an alpha colour type (4, 6) or a tRNS
	 * chunk, a WebP with the VP8X alpha flag or the VP8L alpha bit; never a JPEG. undefined when
	 * the bytes read do not tell (a PNG whose chunks before the pixels run past them).
	 */
	hasAlpha?: boolean;
}

/** Enough bytes to find the size of any PNG/WebP and of JPEGs with ordinary metadata. */
export const SNIFF_BYTES = 256 * 1024;

export function sniffImage(bytes: Buffer): ImageInfo | undefined {
	if (isPng(bytes))
		return { mimeType: 'image/png', extension: 'png', ...pngSize(bytes), ...pngAlpha(bytes) };
	if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) {
		return { mimeType: 'image/jpeg', extension: 'jpg', ...jpegSize(bytes), hasAlpha: false };
	}
	if (
		bytes.length >= 12 &&
		bytes.toString('ascii', 0, 4) === 'RIFF' &&
		bytes.toString('ascii', 8, 12) === 'WEBP'
	) {
		return { mimeType: 'image/webp', extension: 'webp', ...webpSize(bytes), ...webpAlpha(bytes) };
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

const PNG_ALPHA_COLOUR_TYPES = [4, 6]; // greyscale + alpha, RGB + alpha

/** Alpha in the colour type, or a tRNS chunk (which must come before the first IDAT). */
function pngAlpha(b: Buffer): { hasAlpha?: boolean } {
	if (b.length < 26 || b.toString('ascii', 12, 16) !== 'IHDR') return {};
	if (PNG_ALPHA_COLOUR_TYPES.includes(b[25])) return { hasAlpha: true };
	for (let offset = 8; offset + 8 <= b.length; ) {
		const type = b.toString('ascii', offset + 4, offset + 8);
		if (type === 'tRNS') return { hasAlpha: true };
		if (type === 'IDAT' || type === 'IEND') return { hasAlpha: false };
		offset += 12 + b.readUInt32BE(offset);
	}
	return {};
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

const VP8X_ALPHA_FLAG = 0x10;
const VP8L_ALPHA_BIT = 1 << 28;

function webpAlpha(b: Buffer): { hasAlpha?: boolean } {
	const chunk = b.toString('ascii', 12, 16);
	if (chunk === 'VP8X' && b.length >= 21) return { hasAlpha: (b[20] & VP8X_ALPHA_FLAG) !== 0 };
	if (chunk === 'VP8L' && b.length >= 25)
		return { hasAlpha: (b.readUInt32LE(21) & VP8L_ALPHA_BIT) !== 0 };
	// Simple lossy WebP: no alpha without the VP8X header.
	if (chunk === 'VP8 ') return { hasAlpha: false };
	return {};
}

/** Decoded size of a base64 string, without decoding it. */
export function base64Bytes(b64: string): number {
	const clean = b64.replace(/\s/g, '');
	const padding = clean.endsWith('==') ? 2 : clean.endsWith('=') ? 1 : 0;
	return Math.floor((clean.length * 3) / 4) - padding;
}
