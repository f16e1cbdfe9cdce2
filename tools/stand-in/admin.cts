/**
 * /__admin/*: lets scripts outside the process (the CLI's users, shell scripts, a running n8n demo)
 * inject faults, change the configuration, read the log and reset. Never logged, never faulted.
 */
import { errorBody } from './errors.cjs';
import type { Reply } from './routes.cjs';
import type { Fault, RequestLogEntry, StandInOptions } from './types.cjs';

export interface AdminTarget {
	readonly log: RequestLogEntry[];
	inject(fault: Fault): void;
	configure(partial: Partial<StandInOptions>): void;
	reset(): void;
	config(): Omit<StandInOptions, 'apiKey'>;
}

export function handleAdmin(
	target: AdminTarget,
	method: string,
	path: string,
	body: unknown,
): Reply {
	const action = `${method} ${path}`;
	try {
		switch (action) {
			case 'POST /__admin/fault':
				// One fault or a list of them.
				for (const fault of Array.isArray(body) ? body : [body]) target.inject(fault as Fault);
				return ok();
			case 'POST /__admin/reset':
				target.reset();
				return ok();
			case 'POST /__admin/config':
				target.configure((body ?? {}) as Partial<StandInOptions>);
				return { status: 200, json: target.config() };
			case 'GET /__admin/config':
				return { status: 200, json: target.config() };
			case 'GET /__admin/log':
				return { status: 200, json: target.log };
			default:
				return { status: 404, json: errorBody(404, { message: `No admin route ${action}.` }) };
		}
	} catch (error) {
		return {
			status: 400,
			json: errorBody(400, { code: 'invalid_value', message: (error as Error).message }),
		};
	}
}

const ok = (): Reply => ({ status: 200, json: { ok: true } });
