/**
 * n8n's owner account, for tools and tests that drive the editor's REST API (`npm start`, the
 * screenshots, the credential Test-button e2e).
 */

export const OWNER = {
	email: 'demo@uniall.local',
	firstName: 'Demo',
	lastName: 'User',
	password: 'Demo-password-1',
};

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function post(
	port: number,
	route: string,
	body: unknown,
	cookie?: string,
): Promise<Response | undefined> {
	return await fetch(`http://127.0.0.1:${port}${route}`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json', ...(cookie ? { cookie } : {}) },
		body: JSON.stringify(body),
	}).catch(() => undefined);
}

/**
 * n8n asks for an owner account on first start; create it so the editor opens straight away.
 *
 * n8n answers 400 when an owner exists. On a `fresh` user folder that cannot be ours: some other
 * n8n answers on this port, and going on would only fail later with a puzzling 401 at login, so it
 * is an error. On a reused folder (a second `npm start`) a 400 is fine only if OWNER can log in.
 */
export async function setUpOwner(port: number, options: { fresh?: boolean } = {}): Promise<void> {
	// /healthz answers before every REST route is mounted (on a cold start the gap is seconds), so
	// retry while the route is still missing.
	for (let attempt = 0; ; attempt++) {
		const res = await post(port, '/rest/owner/setup', OWNER);
		if (res?.ok) return;
		if (res?.status === 400) {
			const why =
				((await res.json().catch(() => ({}))) as { message?: string }).message ?? 'HTTP 400';
			if (options.fresh) {
				throw new Error(
					`owner setup on port ${port} answered "${why}", but this n8n's user folder is new: another n8n is answering on port ${port}`,
				);
			}
			const login = await logIn(port);
			if (login.ok) return;
			throw new Error(
				`the n8n on port ${port} has an owner already (${why}), and ${OWNER.email} cannot log in (HTTP ${login.status}): another n8n on this port, or a user folder with a different owner`,
			);
		}
		if (attempt >= 240) throw new Error(`owner setup failed: HTTP ${res?.status ?? 'no answer'}`);
		await pause(500);
	}
}

/** The login body of n8n 1.123.x and 2.x (`emailOrLdapLoginId`). */
async function logIn(
	port: number,
): Promise<{ ok: boolean; status: number | string; cookie?: string }> {
	const res = await post(port, '/rest/login', {
		emailOrLdapLoginId: OWNER.email,
		password: OWNER.password,
	});
	const cookie = res?.headers.get('set-cookie')?.split(';')[0];
	return { ok: Boolean(res?.ok && cookie), status: res?.status ?? 'no answer', cookie };
}

/** Logs the owner in and returns the session cookie, retrying while n8n is still starting. */
export async function ownerCookie(port: number): Promise<string> {
	for (let attempt = 0; ; attempt++) {
		const login = await logIn(port);
		if (login.ok && login.cookie) return login.cookie;
		// A wrong password is not a startup delay: say so at once.
		if (login.status === 401)
			throw new Error(`login as ${OWNER.email} on port ${port} failed: HTTP 401`);
		if (attempt >= 240) throw new Error(`login failed: HTTP ${login.status}`);
		await pause(500);
	}
}
