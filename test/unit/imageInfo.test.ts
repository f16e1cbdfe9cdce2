import sharp from 'sharp';

import { base64Bytes, sniffImage } from '../../nodes/UniAllGptImage2/helpers/imageInfo';
import { jpeg, png, webpLossless, webpLossy, webpVp8x } from '../helpers/imageBytes.cjs';

describe('sniffImage', () => {
	it.each([
		[1024, 1024],
		[1536, 864],
		[3840, 2160],
	])('reads PNG %ix%i', (width, height) => {
		expect(sniffImage(png(width, height).subarray(0, 64))).toEqual({
			mimeType: 'image/png',
			extension: 'png',
			width,
			height,
			hasAlpha: false,
		});
	});

	it('finds the JPEG frame size behind metadata segments', () => {
		expect(sniffImage(jpeg(2560, 1440, 5000))).toEqual({
			mimeType: 'image/jpeg',
			extension: 'jpg',
			width: 2560,
			height: 1440,
			hasAlpha: false,
		});
	});

	it('reads all three WebP flavours', () => {
		expect(sniffImage(webpVp8x(2880, 2880))).toMatchObject({
			mimeType: 'image/webp',
			width: 2880,
			height: 2880,
		});
		expect(sniffImage(webpLossless(1360, 768))).toMatchObject({ width: 1360, height: 768 });
		expect(sniffImage(webpLossy(1920, 1080))).toMatchObject({ width: 1920, height: 1080 });
	});

	it('knows the type but not the size when a JPEG header is cut short', () => {
		expect(sniffImage(jpeg(800, 600, 5000).subarray(0, 300))).toEqual({
			mimeType: 'image/jpeg',
			extension: 'jpg',
			hasAlpha: false,
		});
	});

	it('refuses what is not an image', () => {
		expect(sniffImage(Buffer.from('%PDF-1.7 not an image'))).toBeUndefined();
		expect(sniffImage(Buffer.from('GIF89a......'))).toBeUndefined();
		expect(sniffImage(Buffer.alloc(0))).toBeUndefined();
	});
});

describe('base64Bytes', () => {
	it.each([0, 1, 2, 3, 1000, 1001, 1002])(
		'knows the decoded size of %i bytes without decoding',
		(n) => {
			expect(base64Bytes(Buffer.alloc(n, 7).toString('base64'))).toBe(n);
		},
	);
});

describe('sniffImage: alpha (Background Transparent)', () => {
	const pixels = (alpha: number) =>
		sharp({
			create: { width: 64, height: 48, channels: 4, background: { r: 200, g: 30, b: 30, alpha } },
		});
	const opaque = () =>
		sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 200, g: 30, b: 30 } } });

	it('sees alpha in a PNG of colour type 6, 4 or with a tRNS chunk (a palette PNG)', async () => {
		expect(sniffImage(await pixels(0).png().toBuffer())).toMatchObject({ hasAlpha: true });
		expect(sniffImage(await pixels(0.5).greyscale().png().toBuffer())).toMatchObject({
			hasAlpha: true,
		});
		const palette = await pixels(0).png({ palette: true }).toBuffer();
		expect(palette[25]).toBe(3); // colour type 3: the transparency is in tRNS
		expect(sniffImage(palette)).toMatchObject({ hasAlpha: true });
	});

	it('sees none in an RGB or greyscale PNG, a JPEG or a PNG cut before its pixels start', async () => {
		expect(sniffImage(await opaque().png().toBuffer())).toMatchObject({ hasAlpha: false });
		expect(sniffImage(await opaque().png({ palette: true }).toBuffer())).toMatchObject({
			hasAlpha: false,
		});
		expect(sniffImage(await opaque().jpeg().toBuffer())).toMatchObject({ hasAlpha: false });
		expect(sniffImage(png(64, 48).subarray(0, 30))).not.toHaveProperty('hasAlpha');
	});

	it('reads the VP8X alpha flag and the VP8L alpha bit of WebP', async () => {
		const lossy = await pixels(0).webp().toBuffer();
		expect(lossy.toString('ascii', 12, 16)).toBe('VP8X');
		expect(sniffImage(lossy)).toMatchObject({ hasAlpha: true, width: 64, height: 48 });
		const lossless = await pixels(0).webp({ lossless: true }).toBuffer();
		expect(lossless.toString('ascii', 12, 16)).toBe('VP8L');
		expect(sniffImage(lossless)).toMatchObject({ hasAlpha: true, width: 64, height: 48 });
		for (const flat of [
			await opaque().webp().toBuffer(),
			await opaque().webp({ lossless: true }).toBuffer(),
		])
			expect(sniffImage(flat)).toMatchObject({ hasAlpha: false });
		expect(sniffImage(webpVp8x(64, 48))).toMatchObject({ hasAlpha: false });
	});
});
