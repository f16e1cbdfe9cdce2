/**
 * Suite step 4 in the real editor (2.x lines; tools/browser/matrix.cts): the parameter panel of
 * each operation shows exactly the fields the node's description gives it; every option can be
 * added (on 2.8.x the last one with the button n8n shows instead of the dropdown); a number typed outside an option's limits is clamped by the editor to the limit the node
 * itself enforces; and what issue 18 section 3 changed in the editor (Output Compression only for
 * JPEG/WebP, Resolution labels in px from the size table, Max Cost's default, the price hint, the
 * canvas subtitle, the operation list), and issue 27's Quality and Background (the JPEG hint
 * shown with Output Format JPEG only, the value kept).
 *
 * Expected fields come from the description objects with their displayOptions applied by
 * n8n-workflow's own `displayParameter`, never from a list written here. Out-of-range values from
 * expressions are the node's business, not the editor's: test/workflow/optionLimits.test.ts.
 */
import {
	NodeHelpers,
	type INodeProperties,
	type INodePropertyOptions,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { DOCUMENTED_SIZES, OPTION_LIMITS } from '../../nodes/UniAllGptImage2/helpers/contract';
import { readRowOptions, readRunOptions } from '../../nodes/UniAllGptImage2/helpers/options';
import { validateNumImages } from '../../nodes/UniAllGptImage2/helpers/request';
import { UniAllGptImage2 } from '../../nodes/UniAllGptImage2/UniAllGptImage2.node';
import { step } from '../../tools/browser/editor.cjs';
import {
	addNodeFromCreator,
	DEFAULT_NODE_NAME,
	NODE_NAME,
	openCreatorAfter,
	openNewWorkflow,
} from '../../tools/browser/nodeCreator.cjs';
import {
	addableOptions,
	addOption,
	addsLastOptionAtOnce,
	canvasSubtitle,
	collectionFields,
	fieldInput,
	fieldText,
	openNode,
	optionsOf,
	panelFields,
	pickOption,
	typeNumber,
} from '../../tools/browser/panel.cjs';
import { STAND_IN_CREDENTIAL } from '../../tools/start.cjs';
import { node, trigger, workflow } from '../../tools/n8n/workflow.cjs';
import { editorSession } from './session.cjs';

const session = editorSession();
const { url: URL, version: VERSION } = session;

const DESCRIPTION: INodeTypeDescription = new UniAllGptImage2().description;
const NODE = { typeVersion: 1 };
/** n8n's label of the credential select (the editor's words, not the node's): 2.8.x, 2.41.x. */
const CREDENTIAL_LABEL = 'Credential to connect with';
const CREDENTIAL_LABELS = [CREDENTIAL_LABEL, 'Credential'];
/** The panel's fields, with n8n's credential label written one way for every version. */
const fieldsOf = async (ndv: Panel) =>
	(await panelFields(ndv)).map((f) => (CREDENTIAL_LABELS.includes(f) ? CREDENTIAL_LABEL : f));
/** n8n's own entry in the Operation list of a node whose credential signs requests (README, Operations). */
const CUSTOM_API_CALL = 'Custom API Call';

type Values = Record<string, unknown>;

const operations = (DESCRIPTION.properties.find((p) => p.name === 'operation')?.options ??
	[]) as INodePropertyOptions[];
const labelOf = (operation: string) => operations.find((o) => o.value === operation)?.name ?? '';

/** The node's parameters for `operation` with every default filled in, as the editor holds them. */
function valuesFor(operation: string, set: Values = {}): Values {
	return (NodeHelpers.getNodeParameters(
		DESCRIPTION.properties,
		{ operation, ...set } as never,
		true,
		false,
		NODE,
		DESCRIPTION,
	) ?? {}) as Values;
}

const shown = (values: Values, p: INodeProperties) =>
	NodeHelpers.displayParameter(values as never, p, NODE, DESCRIPTION);

/** What the panel of `operation` must show: the credential when it applies, then each field. */
function expectedFields(operation: string, set: Values = {}): string[] {
	const values = valuesFor(operation, set);
	const credential = (DESCRIPTION.credentials ?? []).some((c) => shown(values, c as never));
	return [
		...(credential ? [CREDENTIAL_LABEL] : []),
		...DESCRIPTION.properties.filter((p) => shown(values, p)).map((p) => p.displayName),
	];
}

/** The top-level property `name` as `operation` shows it. */
function propertyOf(operation: string, name: string): INodeProperties | undefined {
	const values = valuesFor(operation);
	return DESCRIPTION.properties.find((p) => p.name === name && shown(values, p));
}

/** The options of a collection that show for the collection's `values` and are not added yet. */
function offeredOptions(collection: INodeProperties, values: Values): string[] {
	return (collection.options as INodeProperties[])
		.filter((o) => !(o.name in values) && shown(values, o))
		.map((o) => o.displayName);
}

/** How the editor writes a number of the field (n8n's input shows `numberPrecision` decimals). */
function asShown(option: INodeProperties, value: number): string {
	const precision = option.typeOptions?.numberPrecision as number | undefined;
	return precision === undefined ? String(value) : value.toFixed(precision);
}

async function openPanel(name: string, parameters: Values) {
	const page = session.editor.page;
	await openNewWorkflow(
		page,
		URL,
		workflow(name, [
			trigger(),
			{
				...node(NODE_NAME, 'n8n-nodes-uniall.uniAllGptImage2', 1, parameters),
				credentials: { uniAllApi: STAND_IN_CREDENTIAL },
			},
		]),
	);
	return await openNode(page, NODE_NAME);
}

type Panel = Awaited<ReturnType<typeof openPanel>>;

const sorted = (list: string[]) => [...list].sort();

/** Section 3's checks that belong to one operation's panel, run in that test's panel. */
const EXTRA_CHECKS: Record<string, (ndv: Panel) => Promise<void>> = {
	// Custom API Call stays (README, Operations): n8n adds it, and the node refuses it by name.
	textToImage: async (ndv) => {
		const entries = await optionsOf(ndv, 'operation');
		expect(sorted(entries.map((e) => e.split('\n')[0].trim()))).toEqual(
			sorted([...operations.map((o) => o.name), CUSTOM_API_CALL]),
		);
		// Each tier with its per-ratio sizes in px, from the documented size table.
		const resolution = propertyOf('textToImage', 'resolution') as INodeProperties;
		const tiers = resolution.options as INodePropertyOptions[];
		const listed = await optionsOf(ndv, 'resolution');
		expect(listed).toHaveLength(tiers.length);
		tiers.forEach((tier, i) => {
			expect(listed[i]).toContain(tier.name);
			expect(listed[i]).toMatch(/ px\)/);
			for (const sizes of Object.values(DOCUMENTED_SIZES[tier.value as '1K']))
				for (const size of sizes) expect(listed[i]).toContain(size.replace('x', '×'));
		});
		expect(await fieldText(ndv, 'resolution')).toContain(resolution.hint);
	},
	// The price hint belongs where a generation is priced, not on Get Task; there Resolution says
	// what it is for, and Task ID starts as the expression of the item that submitted the task.
	getTask: async (ndv) => {
		expect(await fieldText(ndv, 'resolution')).toContain('Resolution');
		expect(await fieldText(ndv, 'resolution')).not.toMatch(/Price per image/);
		const resolution = propertyOf('getTask', 'resolution') as INodeProperties;
		expect(await fieldText(ndv, 'resolution')).toContain(resolution.hint);
		expect(await fieldText(ndv, 'taskId')).toContain('{{ $json.taskId }}');
	},
};

describe(`n8n ${VERSION}: each operation's panel`, () => {
	it.each(operations.map((o) => [o.name, o.value as string] as const))(
		'%s shows exactly its fields, and every option can be added',
		async (_label, operation) => {
			await step(session.editor, `${VERSION}-panel-${operation}`, async () => {
				const ndv = await openPanel(`panel ${operation}`, { operation });
				expect(await fieldsOf(ndv)).toEqual(expectedFields(operation));
				await EXTRA_CHECKS[operation]?.(ndv);

				const collection = propertyOf(operation, 'options');
				if (!collection) return;
				const offered = offeredOptions(collection, {});
				expect(await addableOptions(ndv)).toEqual(offered);
				for (const [i, name] of offered.entries()) {
					// 2.8.x turns "Add option" into a button once one option is left, and that
					// button adds it without naming it: addOption then checks which field came.
					if (await addsLastOptionAtOnce(ndv)) expect(offered.length - i).toBe(1);
					else expect(await addableOptions(ndv)).toContain(name);
					await addOption(ndv, name);
				}
				expect(sorted(await collectionFields(ndv, 'options'))).toEqual(sorted(offered));
			});
		},
	);
});

describe(`n8n ${VERSION}: what issue 18 changed, as the editor shows it`, () => {
	it('4K adds its price notice; Output Compression shows for JPEG and WebP only; Max Cost starts at its default', async () => {
		await step(session.editor, `${VERSION}-panel-dependent-fields`, async () => {
			const ndv = await openPanel('dependent fields', { operation: 'textToImage' });
			await pickOption(ndv, 'resolution', '4K');
			expect(await fieldsOf(ndv)).toEqual(expectedFields('textToImage', { resolution: '4K' }));

			const collection = propertyOf('textToImage', 'options') as INodeProperties;
			const option = (name: string) =>
				(collection.options as INodeProperties[]).find((o) => o.name === name) as INodeProperties;
			const compression = option('outputCompression');
			await addOption(ndv, option('outputFormat').displayName);
			expect(offeredOptions(collection, { outputFormat: 'png' })).not.toContain(
				compression.displayName,
			);
			expect(await addableOptions(ndv)).not.toContain(compression.displayName);

			await pickOption(ndv, 'outputFormat', 'JPEG');
			expect(offeredOptions(collection, { outputFormat: 'jpeg' })).toContain(
				compression.displayName,
			);
			expect(await addableOptions(ndv)).toContain(compression.displayName);
			await addOption(ndv, compression.displayName);
			expect(await fieldInput(ndv, 'outputCompression').inputValue()).toBe(
				asShown(compression, compression.default as number),
			);

			// Back to PNG: n8n drops the hidden value, and the option is no longer offered.
			await pickOption(ndv, 'outputFormat', 'PNG');
			expect(await collectionFields(ndv, 'options')).not.toContain(compression.displayName);
			expect(await addableOptions(ndv)).not.toContain(compression.displayName);
			await pickOption(ndv, 'outputFormat', 'WebP');
			expect(offeredOptions(collection, { outputFormat: 'webp' })).toContain(
				compression.displayName,
			);
			expect(await addableOptions(ndv)).toContain(compression.displayName);

			const maxCost = option('maxCostPerExecution');
			await addOption(ndv, maxCost.displayName);
			expect(await fieldInput(ndv, 'maxCostPerExecution').inputValue()).toBe(
				asShown(maxCost, maxCost.default as number),
			);
		});
	});

	it('the canvas subtitle names the operation, and the resolution unless it is an expression', async () => {
		await step(session.editor, `${VERSION}-panel-subtitle`, async () => {
			const page = session.editor.page;
			const label = labelOf('textToImage');
			const uniall = (name: string, resolution: string) =>
				node(name, 'n8n-nodes-uniall.uniAllGptImage2', 1, { operation: 'textToImage', resolution });
			await openNewWorkflow(
				page,
				URL,
				workflow('subtitle', [
					trigger(),
					uniall(NODE_NAME, '2K'),
					uniall('By Expression', '={{ $json.resolution }}'),
				]),
			);
			expect(await canvasSubtitle(page, NODE_NAME)).toBe(`${label} · 2K`);
			expect(await canvasSubtitle(page, 'By Expression')).toBe(label);
		});
	});
});

describe(`n8n ${VERSION}: names and limits (issue 28)`, () => {
	it('a node added from the creator gets the default name; the next one is numbered cleanly', async () => {
		await step(session.editor, `${VERSION}-panel-default-names`, async () => {
			const page = session.editor.page;
			const name = DESCRIPTION.defaults.name as string;
			expect(name).toBe(DEFAULT_NODE_NAME);
			await openCreatorAfter(
				page,
				URL,
				workflow('default names', [
					trigger(),
					node(name, 'n8n-nodes-uniall.uniAllGptImage2', 1, { operation: 'estimateCost' }),
				]),
				name,
			);
			await addNodeFromCreator(page, 'UniAll', `${name}1`);
		});
	});

	it('a 7th reference image is flagged by the editor with the limit', async () => {
		await step(session.editor, `${VERSION}-panel-reference-limit`, async () => {
			const image = (i: number) => ({ source: 'url', url: `https://example.com/${i}.png` });
			const ndv = await openPanel('seven references', {
				operation: 'imageToImage',
				prompt: 'p',
				referenceImages: { image: Array.from({ length: 7 }, (_, i) => image(i)) },
			});
			// n8n shows a fixedCollection's issues as an icon in its label, the words on hover.
			const issues = ndv.getByTestId('referenceImages-parameter-input-issues-container');
			await issues.locator('svg').first().hover();
			await expect(
				ndv.page().getByText('At most 6 fields are allowed.').first().waitFor({ timeout: 10_000 }),
			).resolves.toBeUndefined();
		});
	});
});

describe(`n8n ${VERSION}: what issue 27 added, as the editor shows it`, () => {
	it("Quality starts at UniAll's default; Background's JPEG hint shows with Output Format JPEG only, and the value stays", async () => {
		await step(session.editor, `${VERSION}-panel-quality-background`, async () => {
			const ndv = await openPanel('quality and background', { operation: 'textToImage' });
			const collection = propertyOf('textToImage', 'options') as INodeProperties;
			const options = collection.options as INodeProperties[];
			const quality = options.find((o) => o.name === 'quality') as INodeProperties;
			const background = options.find((o) => o.name === 'background') as INodeProperties;
			const jpegHint = options.find((o) => o.name === 'background' && o.hint)?.hint as string;
			const labelOf = (o: INodeProperties, value: string) =>
				(o.options as INodePropertyOptions[]).find((e) => e.value === value)?.name as string;
			// The picked entry as the select shows it: as text, or as its input's value.
			const shownValue = async (name: string) => {
				const select = ndv.getByTestId(`parameter-input-${name}`).first();
				const text = (await select.innerText()).trim();
				return text || (await select.locator('input').first().inputValue());
			};
			const backgroundFields = async () =>
				(await collectionFields(ndv, 'options')).filter((f) => f === background.displayName);
			const hintShown = async () => (await ndv.innerText()).includes(jpegHint);

			await addOption(ndv, quality.displayName);
			expect(await shownValue('quality')).toBe(labelOf(quality, String(quality.default)));
			await pickOption(ndv, 'quality', labelOf(quality, 'high'));

			// One Background, offered and added once; no hint without JPEG.
			expect(
				offeredOptions(collection, {}).filter((o) => o === background.displayName),
			).toHaveLength(1);
			await addOption(ndv, background.displayName);
			await pickOption(ndv, 'background', labelOf(background, 'transparent'));
			await addOption(ndv, options.find((o) => o.name === 'outputFormat')?.displayName as string);
			expect(await backgroundFields()).toHaveLength(1);
			expect(await hintShown()).toBe(false);

			// JPEG: the hint shows, and the editor keeps Transparent (the node then refuses the row
			// naming both options, before anything is sent: test/workflow/qualityBackground.test.ts).
			await pickOption(ndv, 'outputFormat', 'JPEG');
			expect(await backgroundFields()).toHaveLength(1);
			expect(await hintShown()).toBe(true);
			expect(await shownValue('background')).toBe(labelOf(background, 'transparent'));

			await pickOption(ndv, 'outputFormat', 'WebP');
			expect(await hintShown()).toBe(false);
			expect(await shownValue('background')).toBe(labelOf(background, 'transparent'));
			expect(await shownValue('quality')).toBe(labelOf(quality, 'high'));
		});
	});
});

describe(`n8n ${VERSION}: out-of-range numbers typed into the panel`, () => {
	it("never stay out of range: the editor keeps the limit or the earlier value, one the node accepts; its limits are the node's (OPTION_LIMITS, Number of Images)", async () => {
		await step(session.editor, `${VERSION}-panel-clamping`, async () => {
			const ndv = await openPanel('clamping', { operation: 'textToImage' });
			const collection = propertyOf('textToImage', 'options') as INodeProperties;
			const limited = (collection.options as INodeProperties[]).filter(
				(o) => o.type === 'number' && o.typeOptions?.minValue !== undefined,
			);
			// Output Compression shows only for JPEG and WebP.
			await addOption(ndv, 'Output Format');
			await pickOption(ndv, 'outputFormat', 'JPEG');
			for (const o of limited) await addOption(ndv, o.displayName);

			const numImages = propertyOf('textToImage', 'numImages') as INodeProperties;
			const typed: Array<{ name: string; typed: number; before: number; kept: number }> = [];
			const limits: Array<{ name: string; min: number; max: number; delta: number }> = [];
			for (const o of [numImages, ...limited]) {
				const { minValue, maxValue } = o.typeOptions as { minValue: number; maxValue: number };
				for (const value of [minValue - 1, maxValue + 1]) {
					const before = Number(await fieldInput(ndv, o.name).inputValue());
					const kept = Number(await typeNumber(ndv, o.name, String(value)));
					typed.push({ name: o.name, typed: value, before, kept });
				}
				// Just past the limit: a whole step for whole numbers, a cent for the others.
				const delta = o.typeOptions?.numberPrecision === 0 ? 1 : 0.01;
				limits.push({ name: o.name, min: minValue, max: maxValue, delta });
			}
			process.stdout.write(
				`n8n ${VERSION} kept, after out-of-range typing: ${JSON.stringify(typed)}\n`,
			);

			const accepts = (name: string, value: number) => {
				if (name === 'numImages') validateNumImages(value);
				else {
					readRunOptions({ [name]: value });
					readRowOptions({ outputFormat: 'jpeg', [name]: value });
				}
			};
			// The editor keeps no out-of-range value: 2.8.4 clamps to the limit; 2.41.1 clamps some
			// typings below the minimum and otherwise keeps what the field held. Either way the node
			// accepts what is kept.
			for (const t of typed) {
				const limit = t.typed < t.before ? limits.find((l) => l.name === t.name)?.min : undefined;
				const bound = limit ?? limits.find((l) => l.name === t.name)?.max;
				expect({ ...t, keptIsLimitOrBefore: [bound, t.before].includes(t.kept) }).toEqual({
					...t,
					keptIsLimitOrBefore: true,
				});
				expect({ ...t, nodeAccepts: !throws(() => accepts(t.name, t.kept)) }).toEqual({
					...t,
					nodeAccepts: true,
				});
			}
			// The editor's limits are exactly where the node's own check starts refusing.
			const optionLimits = Object.values(OPTION_LIMITS) as Array<{ min: number; max: number }>;
			for (const { name, min, max, delta } of limits) {
				expect({
					name,
					accepted: [min, max].map((v) => !throws(() => accepts(name, v))),
					refused: [min - delta, max + delta].map((v) => throws(() => accepts(name, v))),
				}).toEqual({ name, accepted: [true, true], refused: [true, true] });
				if (name !== 'numImages') expect(optionLimits).toContainEqual({ min, max });
			}
			expect(typed.filter((t) => t.kept !== t.before).length).toBeGreaterThan(0);
			// Every limit of OPTION_LIMITS belongs to an option of the panel.
			expect(limits).toHaveLength(Object.keys(OPTION_LIMITS).length + 1);
		});
	});
});

function throws(f: () => unknown): boolean {
	try {
		f();
		return false;
	} catch {
		return true;
	}
}
