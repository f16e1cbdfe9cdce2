/**
 * Runs real n8n executions in-process (n8n-core's WorkflowExecute) with our node, so workflow
 * tests exercise parameter resolution, expressions, binary storage, pairedItem and Continue On
 * Fail exactly as n8n does. Only credential storage is replaced: credentials come from the test.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

// n8n-core derives its storage folders from these when first loaded.
const userFolder = mkdtempSync(path.join(tmpdir(), 'uniall-wf-'));
process.env.N8N_USER_FOLDER ??= userFolder;
process.env.N8N_ENCRYPTION_KEY ??= 'uniall-workflow-tests';

import { Container } from '@n8n/di';
import { BinaryDataService, ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import {
	ICredentialsHelper,
	Workflow,
	createDeferredPromise,
	createRunExecutionData,
	type ICredentialDataDecryptedObject,
	type ICredentialType,
	type IConnections,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestOptions,
	type INode,
	type INodeExecutionData,
	type INodeType,
	type INodeTypes,
	type IRun,
	type IRunExecutionData,
	type IVersionedNodeType,
	type IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

import { UniAllApi } from '../../credentials/UniAllApi.credentials';
import { UniAllGptImage2 } from '../../nodes/UniAllGptImage2/UniAllGptImage2.node';

export const NODE_TYPE = 'n8n-nodes-uniall.uniAllGptImage2';
const INPUT_TYPE = 'test.input';

export interface InputItem {
	json: IDataObject;
	/** binary field name -> file bytes */
	binary?: Record<string, { data: Buffer; mimeType: string; fileName?: string }>;
}

/** Emits the test's items (binary stored through n8n's own binary service) as a real node would. */
class TestInput implements INodeType {
	description = {
		displayName: 'Test Input',
		name: INPUT_TYPE,
		group: ['input'],
		version: 1,
		description: 'Emits fixed items',
		defaults: { name: 'Input' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [{ displayName: 'Key', name: 'key', type: 'string', default: '' }],
	} as unknown as INodeType['description'];

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = inputRegistry.get(this.getNode().parameters.key as string) ?? [];
		const out: INodeExecutionData[] = [];
		for (const [index, item] of items.entries()) {
			const entry: INodeExecutionData = { json: item.json, pairedItem: { item: 0 } };
			if (item.binary) {
				entry.binary = {};
				for (const [name, file] of Object.entries(item.binary)) {
					entry.binary[name] = await this.helpers.prepareBinaryData(
						file.data,
						file.fileName ?? `in-${index}`,
						file.mimeType,
					);
				}
			}
			out.push(entry);
		}
		return [out];
	}
}

const inputRegistry = new Map<string, InputItem[]>();

let NodeClass: new () => INodeType = UniAllGptImage2;

/**
 * Runs another build of the node (the benchmark uses dist/). Outside Jest, `X.node` resolves to
 * the codex file `X.node.json` before `X.node.ts`, so tools pass the class in explicitly.
 */
export function useNodeClass(nodeClass: new () => INodeType): void {
	NodeClass = nodeClass;
}

class TestNodeTypes implements INodeTypes {
	private readonly types: Record<string, INodeType> = {
		[NODE_TYPE]: new NodeClass(),
		[INPUT_TYPE]: new TestInput(),
	};

	getByName(name: string): INodeType | IVersionedNodeType {
		return this.types[name];
	}

	getByNameAndVersion(name: string): INodeType {
		return this.types[name];
	}

	getKnownTypes() {
		return {};
	}
}

/** Applies the credential's generic auth the way n8n does for `{{$credentials.x}}` templates. */
class TestCredentialsHelper extends ICredentialsHelper {
	private readonly credentialType: ICredentialType = new UniAllApi();

	constructor(private readonly data: ICredentialDataDecryptedObject) {
		super();
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		_type: string,
		request: IHttpRequestOptions,
	) {
		const auth = this.credentialType.authenticate as {
			properties: { headers: Record<string, string> };
		};
		const headers = { ...(request.headers ?? {}) } as IDataObject;
		for (const [name, template] of Object.entries(auth.properties.headers)) {
			headers[name] = template
				.replace(/^=/, '')
				.replace(/\{\{\s*\$credentials\.(\w+)\s*\}\}/g, (_m, key: string) =>
					String(credentials[key] ?? ''),
				);
		}
		return { ...request, headers };
	}

	async preAuthentication() {
		return undefined;
	}

	async runPreAuthentication() {
		return undefined;
	}

	getParentTypes() {
		return [];
	}

	async getDecrypted() {
		return this.data;
	}

	async getCredentials(): Promise<never> {
		throw new Error('not used in tests');
	}

	async updateCredentials() {}

	async updateCredentialsOauthTokenData() {}

	getCredentialsProperties() {
		return [];
	}
}

let binaryReady: Promise<void> | undefined;

export interface RunResult {
	run: IRun;
	/** Output items of the UniAll node (first output, last run). */
	items: INodeExecutionData[];
	/** Every output of the UniAll node (last run): [0] success, [1] n8n's error output when routed there. */
	outputs: INodeExecutionData[][];
	/** The execution's error, if the node failed without Continue On Fail. */
	error?: Error & { description?: string; httpCode?: string; context?: IDataObject };
	readBinary: (item: INodeExecutionData, field?: string) => Promise<Buffer>;
}

export interface RunOptions {
	parameters: IDataObject;
	credentials?: ICredentialDataDecryptedObject;
	items?: InputItem[];
	continueOnFail?: boolean;
	/** The node's Settings → On Error; overrides `continueOnFail`. */
	onError?: 'continueRegularOutput' | 'continueErrorOutput' | 'stopWorkflow';
	executionId?: string;
	/** Shared between runs to simulate one execution running the node repeatedly (loops). */
	contextData?: IDataObject;
	/** Cancels the execution this long after it started, as the Stop button does. */
	cancelAfterMs?: number;
}

let counter = 0;

export async function runNode(options: RunOptions): Promise<RunResult> {
	binaryReady ??= Container.get(BinaryDataService).init();
	await binaryReady;

	const key = `input-${++counter}`;
	inputRegistry.set(key, options.items ?? [{ json: {} }]);
	const nodes: INode[] = [
		{
			id: 'in',
			name: 'Input',
			type: INPUT_TYPE,
			typeVersion: 1,
			position: [0, 0],
			parameters: { key },
		},
		{
			id: 'uniall-node',
			name: 'UniAll',
			type: NODE_TYPE,
			typeVersion: 1,
			position: [200, 0],
			parameters: options.parameters as INode['parameters'],
			credentials: { uniAllApi: { id: 'cred', name: 'UniAll' } },
			...(options.onError
				? { onError: options.onError }
				: options.continueOnFail
					? { onError: 'continueRegularOutput' as const }
					: {}),
		},
	];
	const connections: IConnections = {
		Input: { main: [[{ node: 'UniAll', type: 'main', index: 0 }]] },
	};
	const workflow = new Workflow({
		id: 'wf',
		nodes,
		connections,
		nodeTypes: new TestNodeTypes(),
		active: false,
	});

	const hooks = new ExecutionLifecycleHooks('manual', options.executionId ?? `exec-${counter}`, {
		id: 'wf',
		name: 'test',
		nodes,
		connections,
		active: false,
		settings: {},
		createdAt: new Date(),
		updatedAt: new Date(),
	} as never);
	const done = createDeferredPromise<IRun>();
	hooks.addHandler('workflowExecuteAfter', (run) => done.resolve(run));

	const additionalData = {
		hooks,
		executionId: options.executionId ?? `exec-${counter}`,
		credentialsHelper: new TestCredentialsHelper(options.credentials ?? {}),
		currentNodeParameters: undefined,
		restApiUrl: 'http://localhost/rest',
		webhookBaseUrl: 'http://localhost/webhook',
		webhookWaitingBaseUrl: 'http://localhost/webhook-waiting',
		webhookTestBaseUrl: 'http://localhost/webhook-test',
		formWaitingBaseUrl: 'http://localhost/form-waiting',
		instanceBaseUrl: 'http://localhost/',
		variables: {},
		userId: 'user',
	} as unknown as IWorkflowExecuteAdditionalData;

	const runExecutionData: IRunExecutionData = createRunExecutionData({
		executionData: {
			contextData: (options.contextData ?? {}) as never,
			nodeExecutionStack: [{ node: nodes[0], data: { main: [[{ json: {} }]] }, source: null }],
		},
	});

	const execution = new WorkflowExecute(
		additionalData,
		'manual',
		runExecutionData,
	).processRunExecutionData(workflow);
	if (options.cancelAfterMs !== undefined)
		setTimeout(() => execution.cancel(), options.cancelAfterMs);
	await execution;
	const run = await done.promise;
	const runs = run.data.resultData.runData.UniAll ?? [];
	const last = runs[runs.length - 1];
	const items = last?.data?.main?.[0] ?? [];
	const error = (run.data.resultData.error ?? last?.error) as RunResult['error'];
	const service = Container.get(BinaryDataService);
	return {
		run,
		items,
		outputs: (last?.data?.main ?? []).map((output) => output ?? []),
		error,
		readBinary: async (item, field = 'data') => {
			const binary = item.binary?.[field];
			if (!binary) throw new Error(`item has no binary field "${field}"`);
			return binary.id ? await service.getAsBuffer(binary) : Buffer.from(binary.data, 'base64');
		},
	};
}

/** n8n-core starts housekeeping timers in its singletons; stop them so the test process can exit. */
async function stopHarness(): Promise<void> {
	// Not part of n8n-core's public index, hence the deep imports.
	const { SSHClientsManager } =
		require('n8n-core/dist/execution-engine/ssh-clients-manager') as typeof import('n8n-core/dist/execution-engine/ssh-clients-manager');
	const { ScheduledTaskManager } =
		require('n8n-core/dist/execution-engine/scheduled-task-manager') as typeof import('n8n-core/dist/execution-engine/scheduled-task-manager');
	if (Container.has(SSHClientsManager)) Container.get(SSHClientsManager).onShutdown();
	if (Container.has(ScheduledTaskManager)) Container.get(ScheduledTaskManager).deregisterAllCrons();
}

// Registered in every test file that imports the harness (the benchmark imports it outside Jest).
if (typeof afterAll === 'function') afterAll(async () => await stopHarness());
export { stopHarness };
