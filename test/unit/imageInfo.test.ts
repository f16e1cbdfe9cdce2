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
		});
	});

	it('finds the JPEG frame size behind metadata segments', () => {
		expect(sniffImage(jpeg(2560, 1440, 5000))).toEqual({
			mimeType: 'image/jpeg',
			extension: 'jpg',
			width: 2560,
			height: 1440,
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
