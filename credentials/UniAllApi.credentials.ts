import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import {
	CREDENTIAL_NAME,
	DEFAULT_BASE_URL,
	ROUTES,
} from '../nodes/UniAllGptImage2/helpers/contract';

export class UniAllApi implements ICredentialType {
	name = CREDENTIAL_NAME;

	displayName = 'UniAll AI API';

	icon: Icon = { light: 'file:uniall.svg', dark: 'file:uniall.dark.svg' };

	documentationUrl = 'https://github.com/uniall-ai/n8n-nodes-uniall#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'Your UniAll API key (starts with sk-). Create one in the UniAll dashboard.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: DEFAULT_BASE_URL,
			description:
				'Address of the UniAll API. Change it only for a self-hosted gateway or a proxy; ' +
				'a trailing /v1 is fine.',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: { Authorization: '=Bearer {{$credentials.apiKey}}' },
		},
	};

	// Listing models is free, so checking a key never costs anything. n8n follows redirects for
	// this request and, by default, puts the key back on a hop to another host: a Base URL that
	// redirects would hand that host the key. So no redirect is followed: n8n reports the
	// redirect's status as the test's error.
	test: ICredentialTestRequest = {
		request: {
			baseURL:
				`={{ ($credentials.baseUrl || "${DEFAULT_BASE_URL}").trim()` +
				`.replace(/\\/+$/, "").replace(/\\/v1$/i, "") }}`,
			url: ROUTES.models,
			method: 'GET',
			disableFollowRedirect: true,
			sendCredentialsOnCrossOriginRedirect: false,
		},
	};
}
