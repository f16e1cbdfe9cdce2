/**
 * The real-n8n harness must notice when it talks to a different n8n than the one it started (the
 * cause of a 401 at login in CI: another n8n already listened on the port).
 */
import { N8nInstance } from '../../tools/n8n/instance.cjs';
import { setUpOwner } from '../../tools/n8n/owner.cjs';
import { otherN8n } from '../helpers/otherN8n.cjs';

describe('real-n8n harness against another n8n on the port', () => {
	it('start() refuses a port that is already taken, without starting n8n', async () => {
		const other = await otherN8n();
		try {
			const instance = new N8nInstance({
				version: 'x',
				dir: '/nonexistent',
				bin: '/nonexistent/n8n',
				node: '/nonexistent/node',
			});
			await expect(instance.start(other.port)).rejects.toThrow(
				`port ${other.port} is in use by another process`,
			);
		} finally {
			await other.close();
		}
	});

	it('setUpOwner on a fresh user folder fails on "owner exists" instead of going on', async () => {
		const other = await otherN8n();
		try {
			await expect(setUpOwner(other.port, { fresh: true })).rejects.toThrow(
				'another n8n is answering',
			);
		} finally {
			await other.close();
		}
	});

	it('setUpOwner on a reused folder accepts "owner exists" only if the owner can log in', async () => {
		const other = await otherN8n();
		try {
			await expect(setUpOwner(other.port)).rejects.toThrow('cannot log in (HTTP 401)');
			expect(other.routes).toEqual(['POST /rest/owner/setup', 'POST /rest/login']);
		} finally {
			await other.close();
		}
	});
});
