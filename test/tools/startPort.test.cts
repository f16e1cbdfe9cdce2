import { createServer, type Server } from 'node:net';

import { assertPortFree, type N8nInstance } from '../../tools/n8n/instance.cjs';
import { startOnPort } from '../../tools/start.cjs';

// The browser suite's editor starts on a port picked free; another process may take it first.
describe('starting the editor on a free port', () => {
	const squatters: Server[] = [];
	afterEach(async () => {
		await Promise.all(squatters.splice(0).map((s) => new Promise((r) => s.close(r))));
	});
	/** A stand-in n8n whose port is taken by another process `takenTimes` times before it starts. */
	function n8nWithPortsTaken(takenTimes: number) {
		const tried: number[] = [];
		const n8n = {
			runtime: { version: 'test' },
			async start(port: number) {
				tried.push(port);
				if (tried.length <= takenTimes) {
					const squatter = createServer();
					squatters.push(squatter);
					await new Promise<void>((r) => squatter.listen(port, r));
				}
				// n8n's own check before it spawns: the real one.
				await assertPortFree(port);
				return { stop: async () => {} };
			},
		};
		return { n8n: n8n as unknown as N8nInstance, tried };
	}

	it('picks another free port when the one picked is taken, and starts there', async () => {
		const { n8n, tried } = n8nWithPortsTaken(2);
		const { port } = await startOnPort(n8n, 'free', true);
		expect(tried).toHaveLength(3);
		expect(new Set(tried).size).toBe(3);
		expect(port).toBe(tried[2]);
	});

	it('gives up after three ports, with the reason', async () => {
		const { n8n, tried } = n8nWithPortsTaken(3);
		await expect(startOnPort(n8n, 'free', true)).rejects.toThrow(/is in use by another process/);
		expect(tried).toHaveLength(3);
	});

	it('never moves off a port the user chose (N8N_PORT)', async () => {
		const { n8n, tried } = n8nWithPortsTaken(1);
		const squatter = createServer();
		squatters.push(squatter);
		await new Promise<void>((r) => squatter.listen(0, r));
		const chosen = (squatter.address() as { port: number }).port;
		await new Promise((r) => squatter.close(r));
		await expect(startOnPort(n8n, chosen, true)).rejects.toThrow(
			`port ${chosen} is in use by another process`,
		);
		expect(tried).toEqual([chosen]);
	});
});
