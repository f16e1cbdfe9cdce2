/** OpenAI-style error bodies, with the defaults a New API style gateway (which UniAll resembles) sends. */

export interface ErrorBody {
	error: { message: string; type: string; param: string | null; code: string };
}

const DEFAULTS: Record<number, { type: string; code: string; message: string }> = {
	400: {
		type: 'invalid_request_error',
		code: 'content_policy_violation',
		message: 'Your request was rejected by the safety system.',
	},
	401: {
		type: 'authentication_error',
		code: 'invalid_api_key',
		message: 'Invalid API key provided.',
	},
	402: {
		type: 'insufficient_quota',
		code: 'insufficient_user_quota',
		message: 'Your balance is insufficient for this request.',
	},
	403: {
		type: 'insufficient_quota',
		code: 'insufficient_user_quota',
		message: 'User quota is not enough.',
	},
	404: { type: 'invalid_request_error', code: 'not_found', message: 'Not found.' },
	429: {
		type: 'rate_limit_error',
		code: 'rate_limit_exceeded',
		message: 'Rate limit reached, please retry later.',
	},
	500: {
		type: 'server_error',
		code: 'server_error',
		message: 'The server had an error while processing your request.',
	},
	502: {
		type: 'server_error',
		code: 'server_error',
		message: 'Bad gateway: the upstream provider did not answer.',
	},
	503: {
		type: 'server_error',
		code: 'server_error',
		message: 'The service is temporarily unavailable.',
	},
	504: {
		type: 'server_error',
		code: 'server_error',
		message: 'Gateway timeout: the upstream provider took too long.',
	},
};

export interface ErrorOverrides {
	code?: string;
	message?: string;
	param?: string;
	type?: string;
}

/** Never put the caller's key in here: a 401 body must not echo what was sent. */
export function errorBody(status: number, overrides: ErrorOverrides = {}): ErrorBody {
	const d = DEFAULTS[status] ?? {
		type: status >= 500 ? 'server_error' : 'invalid_request_error',
		code: 'error',
		message: `HTTP ${status}`,
	};
	return {
		error: {
			message: overrides.message ?? d.message,
			type: overrides.type ?? d.type,
			param: overrides.param ?? null,
			code: overrides.code ?? d.code,
		},
	};
}
