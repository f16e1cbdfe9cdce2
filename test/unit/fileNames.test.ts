import { readRowOptions } from '../../nodes/UniAllGptImage2/helpers/options';
import { imageFileName } from '../../nodes/UniAllGptImage2/helpers/output';

const naming = { scope: '4711', itemIndex: 2, imageIndex: 0, imageCount: 1 };

describe('image file names', () => {
	it('by default name the execution, the item as n8n counts it ([item 2]) and the imageIndex', () => {
		expect(imageFileName(naming, 'png')).toBe('gpt-image-2-4711-item2-0.png');
		expect(imageFileName({ ...naming, imageIndex: 3, imageCount: 4 }, 'jpg')).toBe(
			'gpt-image-2-4711-item2-3.jpg',
		);
	});

	it('differ between two executions of the same row', () => {
		expect(imageFileName({ ...naming, scope: '4712' }, 'png')).not.toBe(
			imageFileName(naming, 'png'),
		);
	});

	it("take the user's name, adding the extension when it is missing", () => {
		expect(imageFileName({ ...naming, custom: 'mug-A1' }, 'png')).toBe('mug-A1.png');
		expect(imageFileName({ ...naming, custom: 'mug.v2' }, 'webp')).toBe('mug.v2.webp');
	});

	it("keep the user's extension when it is the image's type, and correct it when not", () => {
		expect(imageFileName({ ...naming, custom: 'mug.JPEG' }, 'jpg')).toBe('mug.JPEG');
		expect(imageFileName({ ...naming, custom: 'mug.jpg' }, 'jpg')).toBe('mug.jpg');
		expect(imageFileName({ ...naming, custom: 'mug.png' }, 'jpg')).toBe('mug.jpg');
	});

	it('number the images of a row that has more than one, before the extension', () => {
		const many = { ...naming, custom: 'mug.png', imageCount: 3 };
		expect([0, 1, 2].map((imageIndex) => imageFileName({ ...many, imageIndex }, 'png'))).toEqual([
			'mug-0.png',
			'mug-1.png',
			'mug-2.png',
		]);
	});
});

describe('the File Name option', () => {
	it('is left out when not added or empty', () => {
		expect(readRowOptions({}).fileName).toBeUndefined();
		expect(readRowOptions({ fileName: '  ' }).fileName).toBeUndefined();
		expect(readRowOptions({ fileName: ' mug ' }).fileName).toBe('mug');
	});

	it.each(['a/b', 'a\\b', '..'])('refuses %j, naming the option', (fileName) => {
		expect(() => readRowOptions({ fileName })).toThrow(/^File Name /);
	});
});
