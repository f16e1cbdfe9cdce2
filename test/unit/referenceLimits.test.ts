import {
	MAX_REFERENCE_IMAGE_BYTES,
	MAX_REFERENCE_IMAGES,
	MAX_REFERENCE_TOTAL_BYTES,
} from '../../nodes/UniAllGptImage2/helpers/contract';
import { InputError } from '../../nodes/UniAllGptImage2/helpers/errors';
import {
	addInlineReferenceBytes,
	checkReferenceSize,
} from '../../nodes/UniAllGptImage2/helpers/request';

/** Inline (binary) references become base64 in the request body: capped per image and per request. */
const MB = 1024 * 1024;

function refusal(fn: () => unknown): InputError {
	try {
		fn();
	} catch (error) {
		expect(error).toBeInstanceOf(InputError);
		return error as InputError;
	}
	throw new Error('expected a refusal');
}

describe('the per-request cap on inline reference bytes', () => {
	it('is 50 MB: more than two references at the per-image cap, fewer than all six', () => {
		expect(MAX_REFERENCE_TOTAL_BYTES).toBe(50 * MB);
		expect(MAX_REFERENCE_TOTAL_BYTES).toBeLessThan(
			MAX_REFERENCE_IMAGES * MAX_REFERENCE_IMAGE_BYTES,
		);
	});

	it('adds up references until the total passes the cap, then names the image that passed it', () => {
		let total = 0;
		total = addInlineReferenceBytes(total, 20 * MB, 1);
		total = addInlineReferenceBytes(total, 20 * MB, 2);
		total = addInlineReferenceBytes(total, 10 * MB, 3); // exactly 50 MB
		expect(total).toBe(MAX_REFERENCE_TOTAL_BYTES);
		const error = refusal(() => addInlineReferenceBytes(total, 1, 4));
		expect(error.field).toBe('Reference Images (image 4)');
		expect(error.message).toBe(
			'Reference Images (image 4): the binary reference images of this request add up to 50.0 MB; at most 50.0 MB can be sent inline in one request. ' +
				'Use image URLs for some references, or smaller files',
		);
	});

	it('six 20 MB references are refused at the third', () => {
		let total = 0;
		const refused = refusal(() => {
			for (let image = 1; image <= 6; image++)
				total = addInlineReferenceBytes(total, 20 * MB, image);
		});
		expect(refused.field).toBe('Reference Images (image 3)');
		expect(refused.message).toMatch(/add up to 60\.0 MB/);
	});
});

describe('the per-image cap', () => {
	it('accepts up to 20 MB and refuses more, naming image and field', () => {
		expect(() => checkReferenceSize(MAX_REFERENCE_IMAGE_BYTES, 1, 'data')).not.toThrow();
		const error = refusal(() => checkReferenceSize(MAX_REFERENCE_IMAGE_BYTES + 1, 2, 'photo'));
		expect(error.field).toBe('Reference Images (image 2)');
		expect(error.message).toBe(
			'Reference Images (image 2): the image in binary field "photo" is 20.0 MB; the limit is 20.0 MB',
		);
	});
});
