/**
 * A strict PNG check for the stand-in's output: signature, chunk CRCs, IHDR, chunk order, and an
 * actual inflate of the pixel data whose length must match the header (8-bit RGB scanlines).
 */
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
	let c = n;
	for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
	return c >>> 0;
});

function crc32(bytes: Buffer): number {
	let c = 0xffffffff;
	for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
	return (c ^ 0xffffffff) >>> 0;
}

async function inflatedLength(zlibData: Buffer): Promise<number> {
	const stream = new Blob([zlibData]).stream().pipeThrough(new DecompressionStream('deflate'));
	return (await new Response(stream).arrayBuffer()).byteLength;
}

export interface PngFacts {
	width: number;
	height: number;
	bitDepth: number;
	colourType: number;
	chunks: string[];
}

/** Throws with a reason if `bytes` is not a complete, decodable PNG. */
export async function checkPng(bytes: Buffer, verifyCrc = true): Promise<PngFacts> {
	if (bytes.length < 8 || bytes.toString('hex', 0, 8) !== '89504e470d0a1a0a')
		throw new Error('no PNG signature');
	const chunks: string[] = [];
	const idat: Buffer[] = [];
	let header: Omit<PngFacts, 'chunks'> | undefined;
	for (let at = 8; at < bytes.length; ) {
		if (at + 12 > bytes.length) throw new Error(`truncated chunk at ${at}`);
		const length = bytes.readUInt32BE(at);
		const type = bytes.toString('ascii', at + 4, at + 8);
		const data = bytes.subarray(at + 8, at + 8 + length);
		if (data.length !== length) throw new Error(`truncated ${type}`);
		if (
			verifyCrc &&
			crc32(bytes.subarray(at + 4, at + 8 + length)) !== bytes.readUInt32BE(at + 8 + length)
		)
			throw new Error(`bad CRC in ${type}`);
		chunks.push(type);
		if (type === 'IHDR')
			header = {
				width: data.readUInt32BE(0),
				height: data.readUInt32BE(4),
				bitDepth: data[8],
				colourType: data[9],
			};
		if (type === 'IDAT') idat.push(data);
		at += 12 + length;
	}
	if (chunks[0] !== 'IHDR' || chunks[chunks.length - 1] !== 'IEND' || !header)
		throw new Error(`bad chunk order ${chunks.join(',')}`);
	if (header.bitDepth !== 8 || header.colourType !== 2) throw new Error('expected 8-bit RGB');
	const expected = (header.width * 3 + 1) * header.height;
	const actual = await inflatedLength(Buffer.concat(idat));
	if (actual !== expected) throw new Error(`pixel data is ${actual} bytes, expected ${expected}`);
	return { ...header, chunks };
}
