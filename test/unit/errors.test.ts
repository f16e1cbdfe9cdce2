import {
	apiErrorDetails,
	inlineNotAnImage,
	mapApiFailure,
	redactSecrets,
	unreadableAnswer,
} from '../../nodes/UniAllGptImage2/helpers/errors';

const body = (message: string, code?: string, type?: string, param?: string) => ({
	error: { message, code, type, param },
});

describe('mapApiFailure', () => {
	it('401 points at the credential', () => {
		const mapped = mapApiFailure({ status: 401, body: body('Invalid token', 'invalid_api_key') });
		expect(mapped.reason).toBe('unauthorized');
		expect(mapped.description).toMatch(/API key in the UniAll AI API credential/);
	});

	it.each([
		[402, body('quota exhausted', 'insufficient_user_quota')],
		[403, body('user quota is not enough', 'insufficient_user_quota')],
	])('%i with quota words means balance', (status, b) => {
		expect(mapApiFailure({ status, body: b }).reason).toBe('insufficient_balance');
	});

	it('403 without quota words means the model is not enabled', () => {
		expect(
			mapApiFailure({ status: 403, body: body('model not allowed', 'model_not_allowed') }).reason,
		).toBe('forbidden');
	});

	it('400 with a policy code is a content policy rejection', () => {
		const mapped = mapApiFailure({
			status: 400,
			body: body('Your request was rejected by the safety system', 'content_policy_violation'),
		});
		expect(mapped.reason).toBe('content_policy');
		expect(mapped.message).toMatch(/content policy/);
	});

	it('400 names the field UniAll complained about', () => {
		const mapped = mapApiFailure({
			status: 400,
			body: body(
				'must be one of 1K, 2K, 4K',
				'invalid_value',
				'invalid_request_error',
				'resolution',
			),
		});
		expect(mapped.reason).toBe('invalid_request');
		expect(mapped.message).toBe(
			'UniAll refused the request (field "resolution"): must be one of 1K, 2K, 4K',
		);
	});

	it.each([
		[404, 'not_found'],
		[429, 'rate_limited'],
		[500, 'server_error'],
		[503, 'server_error'],
		[302, 'redirect'],
		[418, 'bad_response'],
	])('%i -> %s', (status, reason) => {
		expect(mapApiFailure({ status }).reason).toBe(reason);
	});

	it('network failures and timeouts', () => {
		expect(mapApiFailure({ networkCode: 'ECONNREFUSED' }, 'the generation request')).toMatchObject({
			reason: 'network',
			message: 'Could not reach UniAll for the generation request: the connection was refused',
			description: expect.stringContaining('ECONNREFUSED'),
		});
		expect(mapApiFailure({ networkCode: 'ECONNRESET' }).message).toMatch(
			/the connection was dropped$/,
		);
		expect(mapApiFailure({ networkCode: 'ETIMEDOUT' }).reason).toBe('timeout');
	});

	it('reads error details from strings, JSON strings and flat bodies', () => {
		expect(apiErrorDetails('{"error":{"message":"m","code":"c"}}')).toMatchObject({
			message: 'm',
			code: 'c',
		});
		expect(apiErrorDetails('Bad Gateway')).toEqual({ message: 'Bad Gateway' });
		expect(apiErrorDetails({ message: 'flat', code: 42 })).toMatchObject({
			message: 'flat',
			code: '42',
		});
		expect(apiErrorDetails({ error: 'plain' })).toMatchObject({ message: 'plain' });
	});
});

describe('redactSecrets: a server echoing the key never gets it printed', () => {
	it.each([
		[
			'the credential key anywhere',
			'key my-own-key-123 is invalid',
			['my-own-key-123'],
			'key [redacted] is invalid',
		],
		[
			'a bearer token',
			'bad header Authorization: Bearer abc.def-ghi',
			[],
			'bad header Authorization: Bearer [redacted]',
		],
		['an sk- token', 'tried sk-proj-AbC123_xyz twice', [], 'tried sk-[redacted] twice'],
		['every occurrence', 'k9k9k9 and k9k9k9', ['k9k9k9'], '[redacted] and [redacted]'],
	])('%s', (_what, text, secrets, expected) => {
		expect(redactSecrets(text, secrets)).toBe(expected);
	});

	it('leaves ordinary words alone (sk as a word, short secrets)', () => {
		expect(redactSecrets('the sky and task-1 and sk-1', ['ab'])).toBe(
			'the sky and task-1 and sk-1',
		);
	});
});

describe('unreadableAnswer and inlineNotAnImage', () => {
	it('an unreadable 2xx names the task read from it, or says a proxy may have cut it', () => {
		expect(unreadableAnswer('the generation request', { status: 200 }, 'task_1')).toMatchObject({
			reason: 'bad_response',
			httpCode: '200',
			description: expect.stringContaining('Task ID "task_1"'),
		});
		expect(unreadableAnswer('x', { status: 200, tooLarge: true }).message).toContain(
			'larger than 128 MB',
		);
		expect(unreadableAnswer('x', { status: 200 }).description).toContain('proxy');
	});

	it('an inline non-image says what it was labelled and whether it looks like markup', () => {
		expect(inlineNotAnImage('image/svg+xml', Buffer.from('<svg/>')).message).toBe(
			'UniAll returned inline data that is not a PNG, JPEG or WebP image (it was labelled "image/svg+xml"), it starts like markup (HTML, XML or SVG); it was not stored',
		);
		expect(inlineNotAnImage(undefined, Buffer.from([1, 2, 3])).message).toBe(
			'UniAll returned inline data that is not a PNG, JPEG or WebP image; it was not stored',
		);
	});
});
