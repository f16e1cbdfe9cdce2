import { idempotencyKey } from '../../nodes/UniAllGptImage2/transport/submit';

describe('idempotencyKey', () => {
	const body = {
		model: 'gpt-image-2-origin',
		prompt: 'a fox',
		image_url: ['https://a.example/1.png', 'data:image/png;base64,AAAA'],
		num_images: 1,
	};

	it('repeats only for the same scope and the same body', () => {
		expect(idempotencyKey('exec:node:0:0', body)).toBe(
			idempotencyKey('exec:node:0:0', { ...body }),
		);
		expect(idempotencyKey('exec:node:0:0', body)).toMatch(/^n8n-uniall-[0-9a-f]{40}$/);
	});

	it('differs for another row, run, node or execution', () => {
		const keys = [
			'exec:node:0:0',
			'exec:node:0:1',
			'exec:node:1:0',
			'exec:other:0:0',
			'exec2:node:0:0',
		].map((scope) => idempotencyKey(scope, body));
		expect(new Set(keys).size).toBe(5);
	});

	it('differs for any change of the body, including the order of references and the field they sit in', () => {
		const variants = [
			body,
			{ ...body, prompt: 'a fox ' },
			{ ...body, num_images: 2 },
			{ ...body, image_url: [...body.image_url].reverse() },
			{ ...body, image_url: undefined, image: body.image_url },
		];
		expect(new Set(variants.map((b) => idempotencyKey('s', b))).size).toBe(variants.length);
	});
});
