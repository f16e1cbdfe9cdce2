import { ROUTES } from '../../nodes/UniAllGptImage2/helpers/contract';
import { type RequestLogEntry } from '../../tools/stand-in/server.cjs';
import { useStandIn } from '../helpers/standIn';
import { AUTH, postGeneration, request, validRequest } from './standInClient';

/** /__admin/* lets scripts outside the process drive the stand-in the way tests do in-process. */
const api = useStandIn({ mode: 'async', latencyMs: 0 });

const admin = async (path: string, body?: unknown) =>
	await request(
		`${api.url}/__admin/${path}`,
		body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) },
	);

describe('admin routes', () => {
	it('POST /__admin/fault queues one fault or a list', async () => {
		expect(
			(await admin('fault', { route: 'models', kind: 'status', status: 503, retryAfter: 1 })).json,
		).toEqual({ ok: true });
		expect(
			(
				await admin('fault', [
					{ route: 'models', kind: 'status', status: 500 },
					{ route: 'models', kind: 'slow', delayMs: 1 },
				])
			).status,
		).toBe(200);
		const statuses = [];
		for (let i = 0; i < 4; i++)
			statuses.push((await request(`${api.url}${ROUTES.models}`, { headers: AUTH })).status);
		expect(statuses).toEqual([503, 500, 200, 200]);
	});

	it('POST /__admin/fault refuses a malformed fault with 400', async () => {
		const { status, json } = await admin('fault', { route: 'models', kind: 'melt' });
		expect(status).toBe(400);
		expect(json.error?.message).toMatch(/Not a fault/);
	});

	it('POST /__admin/config changes the mode and answers the configuration without the key', async () => {
		const { json } = await admin('config', { mode: 'sync-b64', resultShape: 'images' });
		expect(json).toMatchObject({ mode: 'sync-b64', resultShape: 'images', port: api.port });
		expect(json).not.toHaveProperty('apiKey');
		expect((await postGeneration(api.url, validRequest)).json.data).toEqual([
			{ b64_json: expect.any(String) },
		]);
		expect((await admin('config', { mode: 'batch' })).status).toBe(400);
		expect((await admin('config', { colour: 'red' })).status).toBe(400);
		expect((await admin('config')).json).toMatchObject({ mode: 'sync-b64' });
	});

	it('GET /__admin/log answers the request log (admin calls are not in it); POST /__admin/reset clears it', async () => {
		await postGeneration(api.url, validRequest);
		const { json } = await request(`${api.url}/__admin/log`);
		const log = json as unknown as RequestLogEntry[];
		expect(log.map((e) => [e.route, e.status, e.accepted])).toEqual([['generations', 200, true]]);
		expect((await admin('reset', {})).json).toEqual({ ok: true });
		expect(api.log).toHaveLength(0);
	});

	it('answers 404 for an unknown admin route', async () => {
		expect((await admin('explode', {})).status).toBe(404);
	});
});
