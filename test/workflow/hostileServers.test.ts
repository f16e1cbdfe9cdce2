import { sleep, type IDataObject } from 'n8n-workflow';
import { credentialsFor } from '../helpers/credentials';
import {
	gzipBomb,
	hostileServer,
	rawAnswer,
	sendJson,
	trickle,
	trickleHeaders,
	type Handler,
	type HostileServer,
} from '../helpers/hostileServer.cjs';
import { png } from '../helpers/imageBytes.cjs';
import { SHORTEST_TIMEOUT_SECONDS, textToImageParams } from '../helpers/parameters';
import { runNode } from '../../tools/n8n/inProcess.cjs';

/**
 * Broken and hostile servers (issue 20): a gateway, proxy or image host that answers what the
 * stand-in never would. Each test runs real n8n executions against a small local server.
 */
let server: HostileServer | undefined;
afterEach(async () => {
	await server?.close();
	server = undefined;
});

async function serve(handler: Handler): Promise<HostileServer> {
	server = await hostileServer(handler);
	return server;
}

const RESULT = png(1024, 1024, 40);
const REFERENCE = png(1024, 1024, 200);

/** Serves /files/result.png and /files/reference.png; everything else goes to `api`. */
const withFiles =
	(api: Handler): Handler =>
	(req, res) => {
		if (req.path.startsWith('/files/')) {
			const bytes = req.path.includes('result') ? RESULT : REFERENCE;
			res.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': bytes.length });
			res.end(bytes);
			return;
		}
		return api(req, res);
	};

const rows = (...prompts: string[]) => prompts.map((prompt) => ({ json: { prompt } }));

describe('task status words of New API-style gateways (item 3)', () => {
	it('NOT_START echoing the references is still running; SUCCESS delivers the result, billed once', async () => {
		let polls = 0;
		const api = await serve(
			withFiles((req, res) => {
				const reference = `${api.url}/files/reference.png`;
				if (req.method === 'POST')
					return sendJson(res, 200, {
						task_id: 'task_ns',
						status: 'NOT_START',
						image_url: [reference],
					});
				polls++;
				if (polls < 3)
					return sendJson(res, 200, {
						code: 'success',
						data: {
							task_id: 'task_ns',
							status: polls === 1 ? 'NOT_START' : 'IN_PROGRESS',
							image_url: [reference],
						},
					});
				return sendJson(res, 200, {
					code: 'success',
					data: {
						task_id: 'task_ns',
						status: 'SUCCESS',
						image_url: [`${api.url}/files/result.png`],
					},
				});
			}),
		);
		const { items, error, readBinary } = await runNode({
			credentials: credentialsFor(api.url),
			items: rows('a fox'),
			parameters: textToImageParams(),
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({ imageUrl: `${api.url}/files/result.png`, cost: 0.01836 });
		expect(await readBinary(items[0])).toEqual(RESULT);
		expect(polls).toBe(3);
		expect(api.count('GET', '/files/reference')).toBe(0);
	});

	// A whole Timeout long, so it runs alongside the other tests, on a server of its own.
	it.concurrent(
		'a status word the node does not know is never a result: polled until the Timeout, nothing downloaded',
		async () => {
			const api = await hostileServer(
				withFiles((req, res) => {
					const body = {
						task_id: 'task_odd',
						status: 'WARMING_UP',
						images: [`${api.url}/files/reference.png`],
					};
					return sendJson(res, 200, body);
				}),
			);
			try {
				const { error } = await runNode({
					credentials: credentialsFor(api.url),
					items: rows('a fox'),
					parameters: textToImageParams({ timeout: SHORTEST_TIMEOUT_SECONDS }),
				});
				expect(error?.message).toContain(
					`did not finish within ${SHORTEST_TIMEOUT_SECONDS} s (task task_odd)`,
				);
				expect(api.count('GET', '/v1/images/tasks/task_odd')).toBeGreaterThan(1);
				expect(api.count('GET', '/files/')).toBe(0);
			} finally {
				await api.close();
			}
		},
		SHORTEST_TIMEOUT_SECONDS * 1000 + 30_000,
	);

	it('FAILURE ends polling at once with the fail_reason, and nothing stays counted', async () => {
		const api = await serve((req, res) => {
			if (req.method === 'POST')
				return sendJson(res, 200, { task_id: 'task_f', status: 'SUBMITTED' });
			return sendJson(res, 200, {
				code: 'success',
				data: { task_id: 'task_f', status: 'FAILURE', fail_reason: 'upstream refused the prompt' },
			});
		});
		const started = Date.now();
		const { items, error } = await runNode({
			credentials: credentialsFor(api.url),
			items: rows('a fox', 'a cat'),
			parameters: textToImageParams({ maxCostPerExecution: 0.02, concurrency: 1 }),
			continueOnFail: true,
		});
		expect(error).toBeUndefined();
		expect(Date.now() - started).toBeLessThan(10_000);
		expect(items).toHaveLength(2);
		for (const item of items)
			expect(String(item.json.error)).toContain('upstream refused the prompt');
		// The first row's reservation was given back, so the second row was sent too.
		expect(api.count('POST')).toBe(2);
	});
});

describe('a POST answer that already says failed (item 4)', () => {
	const failedAnswer: Handler = (req, res) =>
		sendJson(res, 200, {
			task_id: 'task_dead',
			status: 'failed',
			error: { code: 'bad_prompt', message: 'the prompt is empty after filtering' },
		});

	it('is a failed row with its reason, not polled', async () => {
		const api = await serve(failedAnswer);
		const { error } = await runNode({
			credentials: credentialsFor(api.url),
			items: rows('a fox'),
			parameters: textToImageParams(),
		});
		expect(error?.message).toBe(
			'The generation task task_dead failed: the prompt is empty after filtering [item 0]',
		);
		expect(api.count('GET')).toBe(0);
	});

	it('with Wait for Completion off it is not a "submitted" item, and its estimate is not counted as spent', async () => {
		const api = await serve(failedAnswer);
		const { items, error } = await runNode({
			credentials: credentialsFor(api.url),
			items: rows('a fox', 'a cat'),
			parameters: textToImageParams({
				waitForCompletion: false,
				maxCostPerExecution: 0.02,
				concurrency: 1,
			}),
			continueOnFail: true,
		});
		expect(error).toBeUndefined();
		expect(items.map((item) => item.json.error)).toEqual([
			'The generation task task_dead failed: the prompt is empty after filtering [item 0]',
			'The generation task task_dead failed: the prompt is empty after filtering [item 1]',
		]);
		expect(items.some((item) => item.json.done === false)).toBe(false);
		expect(api.count('POST')).toBe(2);
	});
});

/** The node's spend for this execution, as it keeps it for the next run of the node. */
const spentIn = (contextData: Record<string, unknown>) =>
	(contextData['node:UniAll'] as { uniallSpentUsd?: number } | undefined)?.uniallSpentUsd;

describe('a 2xx answer to the paid POST that cannot be read (item 1)', () => {
	const oneImageBudget = textToImageParams({ maxCostPerExecution: 0.01836, concurrency: 1 });

	it('a close-delimited answer cut mid-JSON: may have been accepted, task id named, still counted, not resent', async () => {
		const api = await serve((req, res) =>
			rawAnswer(
				res,
				'HTTP/1.1 200 OK\r\nContent-Type: application/json',
				'{"task_id":"task_cut","status":"que',
			),
		);
		const { items, error } = await runNode({
			credentials: credentialsFor(api.url),
			items: rows('a fox', 'a cat'),
			parameters: oneImageBudget,
			continueOnFail: true,
		});
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ taskId: 'task_cut' });
		expect(String(items[0].json.error)).toContain('could not be read');
		expect(String(items[0].json.errorDescription)).toContain('Get Task');
		expect(String(items[0].json.errorDescription)).toContain('may have accepted the job');
		expect(String(items[0].json.errorDescription)).not.toContain('nothing is billed');
		// The budget of one image stays taken: the second row is refused, never sent.
		expect(String(items[1].json.error)).toContain('Max Cost per Execution');
		expect(api.count('POST')).toBe(1);
	});

	it("a proxy's 200 HTML page: the same, and no task id is invented", async () => {
		const api = await serve((req, res) => {
			res.writeHead(200, { 'Content-Type': 'text/html' });
			res.end('<html><body>Welcome to the gateway</body></html>');
		});
		const contextData = {};
		const { error } = await runNode({
			credentials: credentialsFor(api.url),
			items: rows('a fox'),
			parameters: oneImageBudget,
			contextData,
		});
		expect(error?.message).toBe(
			'UniAll answered the generation request (HTTP 200), but its answer could not be read as JSON (cut off, or not from the API) [item 0]',
		);
		expect(error?.context?.taskId).toBeUndefined();
		expect(spentIn(contextData)).toBe(0.01836);
		expect(api.count('POST')).toBe(1);
	});
});

describe('Get Task prices a partial delivery by pixel size (item 2)', () => {
	it('the delivered 4K image and the lost one are both at the 4K price; the costs add up', async () => {
		const big = png(2048, 2048, 90);
		const api = await serve((req, res) => {
			if (req.path === '/files/one.png') {
				res.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': big.length });
				return res.end(big);
			}
			if (req.path === '/files/two.png') return sendJson(res, 404, { error: 'gone' });
			return sendJson(res, 200, {
				task_id: 'task_4k',
				status: 'completed',
				images: [`${api.url}/files/one.png`, `${api.url}/files/two.png`],
			});
		});
		const { items, error } = await runNode({
			credentials: credentialsFor(api.url),
			parameters: { operation: 'getTask', taskId: 'task_4k', resolution: '1K', options: {} },
			continueOnFail: true,
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(2);
		expect(items[0].json).toMatchObject({ resolution: '4K', cost: 0.11424, width: 2048 });
		expect(items[1].json).toMatchObject({ imageIndex: 1, cost: 0.11424, billed: true });
		expect(Number(items[0].json.cost) + Number(items[1].json.cost)).toBeCloseTo(0.22848, 8);
	});
});

describe('cancelling while the paid POST is in flight (item 5)', () => {
	it('keeps the reservation counted, as for a dropped connection', async () => {
		const api = await serve(() => {
			// Never answers: the execution is cancelled while the POST waits.
		});
		const contextData = {};
		await runNode({
			credentials: credentialsFor(api.url),
			items: rows('a fox'),
			parameters: textToImageParams({ maxCostPerExecution: 1 }),
			contextData,
			cancelAfterMs: 700,
		});
		expect(api.count('POST')).toBe(1);
		expect(spentIn(contextData)).toBe(0.01836);
	});
});

describe('a key echoed by the server (item 7)', () => {
	const ECHOED = 'uniall-live-7f3a9c2e51';

	it('is redacted from messages, descriptions and error items, and so is anything sk-like', async () => {
		const api = await serve((req, res) => {
			if (req.method === 'POST' && req.body.includes('refuse'))
				return sendJson(res, 400, {
					error: {
						message: `Key ${ECHOED} may not set this field (also tried sk-live9f8e7d6c5b4a)`,
						param: 'resolution',
					},
				});
			if (req.method === 'POST') return sendJson(res, 200, { task_id: 'task_k', status: 'queued' });
			return sendJson(res, 200, {
				task_id: 'task_k',
				status: 'failed',
				fail_reason: `upstream rejected Authorization: Bearer ${ECHOED}`,
			});
		});
		const { items, error } = await runNode({
			credentials: credentialsFor(api.url, ECHOED),
			items: rows('refuse this', 'a fox'),
			parameters: textToImageParams({ concurrency: 1 }),
			continueOnFail: true,
		});
		expect(error).toBeUndefined();
		const text = JSON.stringify(items);
		expect(text).not.toContain(ECHOED);
		expect(text).not.toContain('sk-live9f8e7d6c5b4a');
		expect(String(items[0].json.error)).toContain('[redacted]');
		expect(String(items[1].json.error)).toContain('Bearer [redacted]');
	});
});

describe('inline answers are checked like downloads (item 8)', () => {
	it.each([
		['a b64_json holding HTML', { b64_json: Buffer.from('<html>login</html>').toString('base64') }],
		[
			'an SVG data URL',
			{
				url: `data:image/svg+xml;base64,${Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>').toString('base64')}`,
			},
		],
	])('%s is not stored; the row fails naming what arrived', async (_what, entry) => {
		const api = await serve((req, res) => sendJson(res, 200, { created: 1, data: [entry] }));
		const { items, error } = await runNode({
			credentials: credentialsFor(api.url),
			items: rows('a fox'),
			parameters: textToImageParams(),
			continueOnFail: true,
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		expect(items[0].binary).toBeUndefined();
		expect(String(items[0].json.error)).toContain('not a PNG, JPEG or WebP image');
		expect(String(items[0].json.error)).toContain('markup');
	});
});

describe('the row Timeout is a wall-clock bound on every call (item 9)', () => {
	const timeout = SHORTEST_TIMEOUT_SECONDS;
	// At one byte per 100 ms this trickles for twice the Timeout.
	const slowJson = ' '.repeat(timeout * 20) + '{"task_id":"task_slow","status":"queued"}';
	/** Jest's limit for one of these tests: the Timeout plus slack for a busy machine. */
	const testLimit = timeout * 1000 + 30_000;

	/** Runs against `handler` with the short Timeout; the error, and how long the run took. */
	async function timed(handler: Handler, parameters: IDataObject = textToImageParams({ timeout })) {
		// A server of its own: these tests wait a whole Timeout each, so they run at once.
		const api = await hostileServer(handler);
		try {
			const started = Date.now();
			const { error } = await runNode({
				credentials: credentialsFor(api.url),
				items: rows('a fox'),
				parameters,
			});
			// The Timeout plus room for a loaded machine; a trickle would go on for twice as long.
			expect(Date.now() - started).toBeLessThan(timeout * 1000 + 5000);
			return { api, error };
		} finally {
			await api.close();
		}
	}

	it.concurrent(
		'a POST answer trickled one byte per 100 ms ends at the Timeout',
		async () => {
			const { api, error } = await timed((req, res) => trickle(res, 200, slowJson));
			expect(error?.message).toBe(
				`UniAll did not answer the generation request within the Timeout of ${timeout} s [item 0]`,
			);
			expect(api.count('POST')).toBe(1);
		},
		testLimit,
	);

	it.concurrent(
		'a poll trickled byte by byte ends at the Timeout, naming the task',
		async () => {
			const { error } = await timed((req, res) =>
				req.method === 'POST'
					? sendJson(res, 200, { task_id: 'task_slow', status: 'queued' })
					: trickle(res, 200, slowJson),
			);
			expect(error?.message).toBe(
				`The generation did not finish within ${timeout} s (task task_slow) [item 0]`,
			);
		},
		testLimit,
	);

	it.concurrent(
		'Get Task trickled byte by byte ends at the Timeout',
		async () => {
			const { error } = await timed((req, res) => trickle(res, 200, slowJson), {
				operation: 'getTask',
				taskId: 'task_slow',
				resolution: '1K',
				options: { timeout },
			});
			expect(error?.message).toContain('task task_slow');
			expect(error?.context?.reason).toBe('timeout');
		},
		testLimit,
	);

	it.concurrent(
		'an image host trickling its response headers ends at the Timeout, naming the task',
		async () => {
			const { error } = await timed((req, res) => {
				if (req.path.startsWith('/files/')) return trickleHeaders(res);
				return sendJson(res, 200, {
					task_id: 'task_img',
					status: 'completed',
					images: [`http://${req.headers.host}/files/slow.png`],
				});
			});
			expect(error?.message).toBe(
				`The image download did not finish within ${timeout} s (task task_img) [item 0]`,
			);
		},
		testLimit,
	);
});

describe('issue 26 item 13: a download given up at the Timeout is disconnected', () => {
	it.concurrent(
		'the image host trickling its headers sees its connection closed right after the row failed',
		async () => {
			const timeout = SHORTEST_TIMEOUT_SECONDS;
			let closedAt: number | undefined;
			const api = await hostileServer((req, res) => {
				if (req.path.startsWith('/files/')) {
					res.socket?.on('close', () => (closedAt ??= Date.now()));
					return trickleHeaders(res);
				}
				return sendJson(res, 200, {
					task_id: 'task_img',
					status: 'completed',
					images: [`http://${req.headers.host}/files/slow.png`],
				});
			});
			try {
				const { error } = await runNode({
					credentials: credentialsFor(api.url),
					items: rows('a fox'),
					parameters: textToImageParams({ timeout }),
				});
				const failedAt = Date.now();
				expect(error?.context?.reason).toBe('timeout');
				await sleep(3000);
				// Still trickling, it would stay open for as long as the host likes.
				expect(closedAt).toBeDefined();
				expect(Number(closedAt) - failedAt).toBeLessThan(3000);
			} finally {
				await api.close();
			}
		},
		SHORTEST_TIMEOUT_SECONDS * 1000 + 40_000,
	);
});

describe('the size of an API answer is capped while it is read (item 10)', () => {
	it('a gzip answer inflating past the cap fails its row clearly; the paid POST stays counted', async () => {
		const bomb = await gzipBomb(160);
		expect(bomb.length).toBeLessThan(1024 * 1024);
		const api = await serve((req, res) => {
			res.writeHead(200, {
				'Content-Type': 'application/json',
				'Content-Encoding': 'gzip',
				'Content-Length': bomb.length,
			});
			res.end(bomb);
		});
		const { items, error } = await runNode({
			credentials: credentialsFor(api.url),
			items: rows('a fox', 'a cat'),
			parameters: textToImageParams({ maxCostPerExecution: 0.01836, concurrency: 1 }),
			continueOnFail: true,
		});
		expect(error).toBeUndefined();
		expect(items[0].json.error).toBe(
			'UniAll answered the generation request (HTTP 200), but its answer was larger than 128 MB and was not read [item 0]',
		);
		expect(String(items[0].json.errorDescription)).toContain('may have accepted the job');
		expect(String(items[1].json.error)).toContain('Max Cost per Execution');
		expect(api.count('POST')).toBe(1);
	});
});

describe('issue 26: POST answers whose status the node cannot follow (items 3, 4, 5, 12)', () => {
	const oneImageBudget = textToImageParams({ maxCostPerExecution: 0.01836, concurrency: 1 });
	const twoRows = async (api: HostileServer) =>
		await runNode({
			credentials: credentialsFor(api.url),
			items: rows('a fox', 'a cat'),
			parameters: oneImageBudget,
			continueOnFail: true,
		});

	it('item 3: a running status with the job under a field the node does not read is accepted-but-unfollowable, and stays counted', async () => {
		const api = await serve((req, res) =>
			sendJson(res, 200, { request_id: 'req_7f3a', status: 'queued' }),
		);
		const { items, error } = await twoRows(api);
		expect(error).toBeUndefined();
		expect(String(items[0].json.error)).toMatch(
			/^UniAll accepted the generation \(status "queued"\) but named no task the node can follow \[item 0\]$/,
		);
		expect(String(items[0].json.errorDescription)).toContain('req_7f3a');
		expect(String(items[0].json.errorDescription)).not.toContain('nothing is billed');
		// The job will be billed: the budget of one image stays taken, so the second row is not sent.
		expect(String(items[1].json.error)).toContain('Max Cost per Execution');
		expect(api.count('POST')).toBe(1);
	});

	it("item 4: an unknown status word without a task id never hands on the answer's URLs (the user's reference)", async () => {
		let base = '';
		const api = await serve(
			withFiles((req, res) =>
				sendJson(res, 200, {
					status: 'MODERATING',
					image_url: [`${base}/files/reference.png`],
				}),
			),
		);
		base = api.url;
		const { items } = await twoRows(api);
		expect(items[0].json.binary).toBeUndefined();
		expect(items[0].json.cost).toBeUndefined();
		expect(String(items[0].json.error)).toContain('status "MODERATING"');
		expect(api.log.some((r) => r.path.startsWith('/files/'))).toBe(false);
		expect(String(items[1].json.error)).toContain('Max Cost per Execution');
	});

	it('item 5: a numeric status is unknown: the task is polled, and images come only once it says succeeded', async () => {
		let base = '';
		let polls = 0;
		const api = await serve(
			withFiles((req, res) => {
				const echo = [`${base}/files/reference.png`];
				if (req.method === 'POST')
					return sendJson(res, 200, { task_id: 'task_n', status: 1, image_url: echo });
				polls++;
				if (polls < 2) return sendJson(res, 200, { task_id: 'task_n', status: 1, image_url: echo });
				return sendJson(res, 200, {
					task_id: 'task_n',
					status: 'succeeded',
					image_url: [`${base}/files/result.png`],
				});
			}),
		);
		base = api.url;
		const { items, error } = await runNode({
			credentials: credentialsFor(api.url),
			items: rows('a fox'),
			parameters: textToImageParams(),
		});
		expect(error).toBeUndefined();
		expect(polls).toBe(2);
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({ taskId: 'task_n', cost: 0.01836 });
		expect(api.log.some((r) => r.path === '/files/reference.png')).toBe(false);
		expect(api.log.filter((r) => r.path === '/files/result.png')).toHaveLength(1);
	});

	it("item 12: FAILURE without a task id gives UniAll's reason in the failed-task words, and gives the budget back", async () => {
		const api = await serve((req, res) =>
			sendJson(res, 200, {
				status: 'FAILURE',
				fail_reason: 'upstream moderation rejected the image',
			}),
		);
		const { items } = await twoRows(api);
		expect(items[0].json.error).toBe(
			'The generation failed: upstream moderation rejected the image [item 0]',
		);
		expect(String(items[0].json.errorDescription)).toContain('"FAILURE"');
		// A failed generation is not billed: the second row gets its turn.
		expect(String(items[1].json.error)).not.toContain('Max Cost per Execution');
		expect(api.count('POST')).toBe(2);
	});
});

describe('issue 26 item 6: a result URL signed with the caller key', () => {
	const SIGNED = 'uniall-live-url-5e6f7a8b9c';
	const signedApi = (): Handler => {
		let base = '';
		const handler: Handler = (req, res) => {
			if (req.path.startsWith('/files/gone')) return sendJson(res, 404, { error: 'no such file' });
			if (req.path.startsWith('/files/')) return withFiles(() => undefined)(req, res);
			const file = req.body.includes('lost') ? 'gone.png' : 'result.png';
			return sendJson(res, 200, { data: [{ url: `${base}/files/${file}?api_key=${SIGNED}` }] });
		};
		return Object.assign(handler, { setBase: (url: string) => (base = url) });
	};
	const serveSigned = async () => {
		const handler = signedApi() as Handler & { setBase: (url: string) => void };
		const api = await serve(handler);
		handler.setBase(api.url);
		return api;
	};

	it('is redacted in imageUrl, in the lost-image error item, and nowhere repeated (Continue On Fail)', async () => {
		const api = await serveSigned();
		const { items, error } = await runNode({
			credentials: credentialsFor(api.url, SIGNED),
			items: rows('a fox', 'lost one'),
			parameters: textToImageParams({ concurrency: 1 }),
			continueOnFail: true,
		});
		expect(error).toBeUndefined();
		expect(JSON.stringify(items)).not.toContain(SIGNED);
		expect(items[0].json.imageUrl).toBe(`${api.url}/files/result.png?api_key=[redacted]`);
		expect(String(items[1].json.errorDescription)).toContain('gone.png?api_key=[redacted]');
		// The download itself still used the real URL: the image arrived.
		expect(items[0].binary?.data).toBeDefined();
	});

	it('is redacted in the Stop-Workflow list of what was already paid for', async () => {
		const api = await serveSigned();
		const { error } = await runNode({
			credentials: credentialsFor(api.url, SIGNED),
			items: rows('a fox', 'lost one'),
			parameters: textToImageParams({ concurrency: 1 }),
		});
		expect(error).toBeDefined();
		expect(`${error?.message} ${error?.description}`).not.toContain(SIGNED);
		expect(error?.description).toContain('result.png?api_key=[redacted]');
		expect(error?.description).toContain('gone.png?api_key=[redacted]');
	});
});

describe("issue 26 item 1: one rate gate per host (UniAll's API, each image host)", () => {
	const timeout = SHORTEST_TIMEOUT_SECONDS;
	const tooLong = String(SHORTEST_TIMEOUT_SECONDS + 5);
	const limit = (res: Parameters<Handler>[1]) => {
		res.writeHead(429, { 'Content-Type': 'application/json', 'Retry-After': tooLong });
		res.end('{"error":{"message":"slow down"}}');
	};

	it("UniAll's Retry-After to one row does not make another row drop its billed image", async () => {
		let base = '';
		const api = await serve(
			withFiles(async (req, res) => {
				if (req.body.includes('slow')) return limit(res);
				await sleep(500);
				sendJson(res, 200, { data: [{ url: `${base}/files/result.png` }] });
			}),
		);
		base = api.url;
		const { items, error } = await runNode({
			credentials: credentialsFor(api.url),
			items: rows('slow one', 'fast one'),
			parameters: textToImageParams({ concurrency: 2, timeout }),
			continueOnFail: true,
		});
		expect(error).toBeUndefined();
		expect(items[1].json).toMatchObject({ cost: 0.01836, width: 1024 });
		expect(items[1].binary?.data).toBeDefined();
		expect(api.count('GET', '/files/result.png')).toBe(1);
		// The slow row's wait is worded as what it is: a Retry-After longer than its Timeout leaves.
		expect(String(items[0].json.error)).toMatch(
			new RegExp(`UniAll asked to wait ${tooLong} s \\(HTTP 429, Retry-After\\)`),
		);
		expect(api.count('POST')).toBe(2);
	});

	it("an image host's 429 does not hold back another row's POST, and a billed image is tried at least once", async () => {
		let base = '';
		const files = withFiles((req, res) => {
			const file = req.body.includes('first') ? 'limited.png' : 'result.png';
			return sendJson(res, 200, { data: [{ url: `${base}/files/${file}` }] });
		});
		const api = await serve((req, res) =>
			req.path === '/files/limited.png' ? limit(res) : files(req, res),
		);
		base = api.url;
		const { items, error } = await runNode({
			credentials: credentialsFor(api.url),
			items: rows('first', 'second'),
			parameters: textToImageParams({ concurrency: 1, timeout }),
			continueOnFail: true,
		});
		expect(error).toBeUndefined();
		expect(api.count('GET', '/files/limited.png')).toBeGreaterThanOrEqual(1);
		expect(String(items[0].json.error)).toMatch(/^The image host rate limited the download/);
		expect(api.count('POST')).toBe(2);
		// Same image host, its gate closed by the first row's 429: the second row's image is
		// still tried once rather than given up unseen, and it arrives.
		expect(items[1].json).toMatchObject({ cost: 0.01836 });
		expect(items[1].binary?.data).toBeDefined();
	});
});
