/**
 * UniAll GPT Image-2 served to MCP clients by n8n's MCP Server Trigger, in a real n8n server
 * (`n8n start`): the workflow is activated over n8n's REST API, and the official MCP TypeScript
 * SDK (Client + Streamable HTTP transport, as Claude Desktop, Cursor and IDE agents use) connects
 * to the production URL, lists the tool and calls it. One n8n server serves both workflows
 * (Authentication None and Bearer Auth).
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
	StreamableHTTPClientTransport,
	StreamableHTTPError,
} from '@modelcontextprotocol/sdk/client/streamableHttp.js';

import { freePort } from '../../tools/n8n/instance.cjs';
import { ownerCookie, setUpOwner } from '../../tools/n8n/owner.cjs';
import { DEFAULT_API_KEY } from '../../tools/stand-in/server.cjs';
import { useRealN8n } from './realN8nSession.cjs';
import { mcpServerWorkflow, modelPromptTool } from './workflows.cjs';

const session = useRealN8n();
const bearer = { id: 'uniallE2eMcpBear', name: 'MCP bearer token' };
// Made up per run, like the session's wrong key.
const token = `mcp-${Date.now().toString(36)}-token`;
const TOOL = 'UniAll_Image';
const PROMPT = 'A red bicycle leaning on a white wall, studio product photo';
const open = mcpServerWorkflow('e2e mcp server', {
	path: 'uniall-open',
	uniall: session.good,
	toolParameters: modelPromptTool,
});
const guarded = mcpServerWorkflow('e2e mcp server bearer', {
	path: 'uniall-bearer',
	uniall: session.good,
	toolParameters: modelPromptTool,
	bearer,
});

describe('UniAll GPT Image-2 through the MCP Server Trigger, with the MCP SDK as the client', () => {
	const server: { baseUrl?: string; stop?: () => Promise<void> } = {};
	const clients: Client[] = [];
	const mcpUrl = (path: string) => new URL(`${server.baseUrl}/mcp/${path}`);

	/** Connects the SDK client; on 2.41.1 the production route is registered a moment after activation answers (404 until then). */
	async function connect(path: string, headers: Record<string, string> = {}): Promise<Client> {
		for (let attempt = 0; ; attempt++) {
			const client = new Client({ name: 'uniall-e2e', version: '1.0.0' });
			const transport = new StreamableHTTPClientTransport(mcpUrl(path), {
				requestInit: { headers },
			});
			try {
				await client.connect(transport);
				clients.push(client);
				return client;
			} catch (error) {
				await client.close().catch(() => {});
				if (!(error instanceof StreamableHTTPError && error.code === 404) || attempt >= 60)
					throw error;
				await new Promise((r) => setTimeout(r, 500));
			}
		}
	}

	beforeAll(async () => {
		await session.n8n.importCredentials([{ ...bearer, type: 'httpBearerAuth', data: { token } }]);
		await session.n8n.importWorkflows([open, guarded]);
		const port = await freePort();
		server.stop = (await session.n8n.start(port)).stop;
		server.baseUrl = `http://127.0.0.1:${port}`;
		await setUpOwner(port, { fresh: true });
		const cookie = await ownerCookie(port);
		for (const wf of [open, guarded]) {
			const rest = `${server.baseUrl}/rest/workflows/${wf.id}`;
			const { data } = (await (await fetch(rest, { headers: { cookie } })).json()) as {
				data: { versionId: string };
			};
			const res = await fetch(`${rest}/activate`, {
				method: 'POST',
				headers: { 'Content-Type': 'application/json', cookie },
				body: JSON.stringify({ versionId: data.versionId }),
			});
			if (!res.ok) throw new Error(`activating ${wf.name}: HTTP ${res.status} ${await res.text()}`);
		}
	});

	afterAll(async () => {
		for (const client of clients) await client.close().catch(() => {});
		await server.stop?.();
	});

	it('lists the tool with its prompt input, and a call returns the image URL and cost as text from one generation with the client prompt', async () => {
		const client = await connect('uniall-open');

		const { tools } = await client.listTools();
		expect(tools.map((t) => t.name)).toEqual([TOOL]);
		const schema = tools[0].inputSchema as { properties?: Record<string, { type?: string }> };
		expect(schema.properties?.prompt?.type).toBe('string');

		const result = await client.callTool({ name: TOOL, arguments: { prompt: PROMPT } });
		const text = toolText(result);
		const imageUrl = /"imageUrl":"([^"]+)"/.exec(text)?.[1];
		expect(imageUrl).toMatch(new RegExp(`^${session.api.url}/files/`));
		expect(text).toContain('"cost":0.01836');
		// The URL the client got serves the image.
		const image = await fetch(imageUrl as string);
		expect([image.status, image.headers.get('content-type')]).toEqual([200, 'image/png']);

		// UniAll got exactly one generation, with the client's prompt.
		expect(session.api.count('generations')).toBe(1);
		const generation = session.api.log.find((e) => e.route === 'generations');
		expect((generation?.body as { prompt: string }).prompt).toBe(PROMPT);

		// The key stays in n8n.
		expect(JSON.stringify({ tools, result })).not.toContain(DEFAULT_API_KEY);
	});

	it('with Bearer Auth, a client without the token is refused before anything is generated, and one with it gets the image', async () => {
		// With the token first: it also waits for the route to be registered, so a refusal below is not a 404.
		const allowed = await connect('uniall-bearer', { Authorization: `Bearer ${token}` });
		const refusal = await connect('uniall-bearer').catch((error: unknown) => error);
		expect(refusal).toBeInstanceOf(StreamableHTTPError);
		expect([401, 403]).toContain((refusal as StreamableHTTPError).code);
		const wrong = await connect('uniall-bearer', { Authorization: 'Bearer not-the-token' }).catch(
			(error: unknown) => error,
		);
		expect([401, 403]).toContain((wrong as StreamableHTTPError).code);
		expect(session.api.log).toEqual([]);

		const result = await allowed.callTool({ name: TOOL, arguments: { prompt: PROMPT } });
		expect(toolText(result)).toContain('"cost":0.01836');
		expect(session.api.count('generations')).toBe(1);
	});
});

/** The text of a successful tool call, asserting it is text only: never an `image` item, never the image bytes. */
function toolText(result: Awaited<ReturnType<Client['callTool']>>): string {
	expect(result.isError).toBeFalsy();
	const content = result.content as Array<{ type: string; text?: string }>;
	expect(content.length).toBeGreaterThan(0);
	expect(content.map((c) => c.type)).toEqual(content.map(() => 'text'));
	const text = content.map((c) => c.text ?? '').join('\n');
	expect(text).not.toMatch(/base64|data:image|iVBORw0KGgo/);
	return text;
}
