import { MAX_REFERENCE_IMAGE_BYTES } from '../../nodes/UniAllGptImage2/helpers/contract';
import { InputError } from '../../nodes/UniAllGptImage2/helpers/errors';
import {
	buildGenerationBody,
	referenceBytesToDataUrl,
	validateReferenceUrl,
} from '../../nodes/UniAllGptImage2/helpers/request';
import { jpeg, png } from '../helpers/imageBytes.cjs';

const base = { prompt: 'a red fox', aspectRatio: '16:9', resolution: '2K', numImages: 2 };

function inputError(fn: () => unknown): InputError {
	let caught: unknown;
	try {
		fn();
	} catch (error) {
		caught = error;
	}
	expect(caught).toBeInstanceOf(InputError);
	return caught as InputError;
}

describe('buildGenerationBody', () => {
	it('builds the text-to-image body without image_url', () => {
		expect(buildGenerationBody({ operation: 'textToImage', ...base })).toEqual({
			model: 'gpt-image-2-origin',
			generation_mode: 'text_to_image',
			prompt: 'a red fox',
			aspect_ratio: '16:9',
			resolution: '2K',
			num_images: 2,
		});
	});

	it('builds the image-to-image body with the references in order', () => {
		const body = buildGenerationBody({
			operation: 'imageToImage',
			...base,
			imageUrls: ['https://a/1.png', 'data:image/png;base64,AA=='],
		});
		expect(body.generation_mode).toBe('image_to_image');
		expect(body.image_url).toEqual(['https://a/1.png', 'data:image/png;base64,AA==']);
	});

	it('accepts values that arrive by expression in loose forms', () => {
		const body = buildGenerationBody({
			operation: 'textToImage',
			prompt: '  fox  ',
			aspectRatio: ' 4:5 ',
			resolution: '4k',
			numImages: '8',
			model: 'gpt-image-2',
		});
		expect(body).toMatchObject({
			prompt: 'fox',
			aspect_ratio: '4:5',
			resolution: '4K',
			num_images: 8,
			model: 'gpt-image-2',
		});
	});

	// Issue 28: coercing a missing field (String($json.x)) bills the prompt "undefined".
	it('a prompt expression that finds no field says so, and never advises coercing it', () => {
		for (const prompt of [undefined, null, 42, { a: 1 }]) {
			const error = inputError(() =>
				buildGenerationBody({ operation: 'textToImage', ...base, prompt }),
			);
			expect(error.message).not.toMatch(/String\(/);
		}
		expect(
			inputError(() =>
				buildGenerationBody({ operation: 'textToImage', ...base, prompt: undefined }),
			).message,
		).toBe(
			'Prompt: the expression found no value on this item (the field it reads is missing or ' +
				'empty). Fix the expression, e.g. {{ $json.prompt }} with the field name the input ' +
				'has, or the input item, so that every item has the prompt',
		);
	});

	it.each([
		[{ prompt: '' }, 'Prompt', /Prompt is empty/],
		[{ prompt: '   \n ' }, 'Prompt', /Prompt is empty/],
		[{ prompt: 42 }, 'Prompt', /must be text, but the expression gave a number/],
		[{ prompt: { a: 1 } }, 'Prompt', /gave a object/],
		[{ prompt: undefined }, 'Prompt', /found no value on this item/],
		[{ prompt: null }, 'Prompt', /found no value on this item/],
		[{ aspectRatio: '5:4' }, 'Aspect Ratio', /"5:4" is not supported/],
		[{ resolution: '8K' }, 'Resolution', /"8K" is not supported/],
		[{ numImages: 0 }, 'Number of Images', /from 1 to 8, got 0/],
		[{ numImages: 9 }, 'Number of Images', /got 9/],
		[{ numImages: 1.5 }, 'Number of Images', /got 1.5/],
		[{ numImages: 'many' }, 'Number of Images', /got many/],
		[{ model: 'bad model id!' }, 'Model', /not a valid model id/],
	])('refuses %j naming the field', (override, field, message) => {
		const error = inputError(() =>
			buildGenerationBody({ operation: 'textToImage', ...base, ...override }),
		);
		expect(error.field).toBe(field);
		expect(error.message).toMatch(message);
	});

	it('needs 1 to 6 references for image-to-image', () => {
		expect(
			inputError(() => buildGenerationBody({ operation: 'imageToImage', ...base, imageUrls: [] }))
				.message,
		).toMatch(/at least one reference/);
		const seven = Array.from({ length: 7 }, (_, i) => `https://a/${i}.png`);
		expect(
			inputError(() =>
				buildGenerationBody({ operation: 'imageToImage', ...base, imageUrls: seven }),
			).message,
		).toMatch(/At most 6/);
	});
});

describe('reference images', () => {
	it('accepts http(s) URLs as they are', () => {
		expect(validateReferenceUrl(' https://cdn.example.com/p.png?x=1 ', 1)).toBe(
			'https://cdn.example.com/p.png?x=1',
		);
	});

	it.each([
		['', /URL is empty/],
		['not a url', /is not a valid URL/],
		['ftp://host/p.png', /only http\(s\) URLs/],
		['file:///etc/passwd', /only http\(s\) URLs/],
	])('refuses %s, naming the image', (url, message) => {
		const error = inputError(() => validateReferenceUrl(url, 3));
		expect(error.field).toBe('Reference Images (image 3)');
		expect(error.message).toMatch(message);
	});

	it('turns PNG and JPEG bytes into data: URLs with the sniffed type', () => {
		const bytes = png(4, 4);
		expect(referenceBytesToDataUrl(bytes, 1, 'data')).toBe(
			`data:image/png;base64,${bytes.toString('base64')}`,
		);
		expect(referenceBytesToDataUrl(jpeg(10, 10), 2, 'photo')).toMatch(/^data:image\/jpeg;base64,/);
	});

	it('refuses non-images and oversized images, naming the binary field', () => {
		expect(
			inputError(() => referenceBytesToDataUrl(Buffer.from('%PDF-1.4'), 2, 'doc')).message,
		).toMatch(/binary field "doc" is not a PNG, JPEG or WebP/);
		const huge = Buffer.concat([png(2, 2), Buffer.alloc(MAX_REFERENCE_IMAGE_BYTES)]);
		expect(inputError(() => referenceBytesToDataUrl(huge, 1, 'data')).message).toMatch(
			/the limit is 20.0 MB/,
		);
	});
});
