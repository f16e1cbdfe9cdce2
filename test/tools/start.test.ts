import { portsFromEnv } from '../../tools/start.cjs';

describe('npm start ports', () => {
	it('defaults to 5678 for n8n and 8787 for the stand-in', () => {
		expect(portsFromEnv({})).toEqual({ n8n: 5678, standIn: 8787 });
	});

	it('takes N8N_PORT and UNIALL_STAND_IN_PORT', () => {
		expect(portsFromEnv({ N8N_PORT: '5699', UNIALL_STAND_IN_PORT: '8799' })).toEqual({
			n8n: 5699,
			standIn: 8799,
		});
	});

	it.each(['abc', '0', '70000', '87.5'])('refuses UNIALL_STAND_IN_PORT=%s, naming it', (raw) => {
		expect(() => portsFromEnv({ UNIALL_STAND_IN_PORT: raw })).toThrow(
			`UNIALL_STAND_IN_PORT must be a port number from 1 to 65535, got "${raw}"`,
		);
	});
});
