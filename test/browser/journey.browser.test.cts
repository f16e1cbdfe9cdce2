/**
 * Suite steps 2 and 5 in the real editor (2.x lines; tools/browser/matrix.cts): create a UniAll
 * AI API credential from the node's panel (Test passes against the stand-in, a wrong key shows
 * the credential's error, the key is never rendered back), then Execute step on rows: the
 * Binary view previews an image, the JSON and Table views show `cost`, a failing row shows the
 * node's message.
 */
import { step, type EditorPage } from '../../tools/browser/editor.cjs';
import { NODE_NAME, openNewWorkflow } from '../../tools/browser/nodeCreator.cjs';
import {
	credentialField,
	executeStep,
	newCredentialDialog,
	openNode,
	outputView,
	reopenCredential,
	saveAndReadTest,
} from '../../tools/browser/panel.cjs';
import { STAND_IN_CREDENTIAL } from '../../tools/start.cjs';
import { node, trigger, uniall, workflow } from '../../tools/n8n/workflow.cjs';
import { textToImageParams } from '../helpers/parameters';
import { editorSession } from './session.cjs';

const session = editorSession();
const { url: URL, version: VERSION } = session;
const STAND_IN = session.standInUrl;
const GOOD_KEY = 'test-uniall-key';
const WRONG_KEY = 'sk-browser-wrong-key-7f3a9c';

/** Everything the page shows or holds in a field, to look for a secret in. */
async function renderedText(editorPage: EditorPage): Promise<string> {
	return await editorPage.page.evaluate(
		`document.documentElement.outerHTML + [...document.querySelectorAll('input, textarea')].map((e) => e.value).join('\\n')`,
	);
}

describe(`n8n ${VERSION}: the credential`, () => {
	it('Test passes against the stand-in; a wrong key shows the credential error; the key is never shown back', async () => {
		await step(session.editor, `${VERSION}-credential`, async () => {
			await openNewWorkflow(
				session.editor.page,
				URL,
				workflow('credential journey', [
					trigger(),
					node(NODE_NAME, 'n8n-nodes-uniall.uniAllGptImage2', 1, textToImageParams()),
				]),
			);
			await openNode(session.editor.page, NODE_NAME);
			const dialog = await newCredentialDialog(session.editor.page);
			await credentialField(dialog, 'Base URL').fill(STAND_IN);

			await credentialField(dialog, 'API Key').fill(WRONG_KEY);
			const failed = await saveAndReadTest(session.editor.page, dialog, 'failure', NODE_NAME);
			expect(failed).toMatch(/Couldn.t connect with these settings/);
			expect(failed).toMatch(/Invalid API key provided|401|Authorization failed|Unauthorized/i);
			expect(failed).not.toMatch(/Connection tested successfully/);

			await credentialField(dialog, 'API Key').fill(GOOD_KEY);
			const passed = await saveAndReadTest(session.editor.page, dialog, 'success', NODE_NAME);
			expect(passed).toMatch(/Connection tested successfully/);
			expect(passed).not.toMatch(/Couldn.t connect/);

			// Opened again as saved: neither key is anywhere in the page or its fields.
			const reopened = await reopenCredential(session.editor.page, NODE_NAME);
			// The dialog opens before its fields render (2.41.1 under load): wait for the key's field.
			await credentialField(reopened, 'API Key').waitFor({ timeout: 30_000 });
			const rendered = await renderedText(session.editor);
			expect(rendered).not.toContain(GOOD_KEY);
			expect(rendered).not.toContain(WRONG_KEY);
		});
	});
});

describe(`n8n ${VERSION}: Execute step on rows`, () => {
	it('previews the image, shows cost in JSON and Table, and the failing row with the node message', async () => {
		await step(session.editor, `${VERSION}-execute-step`, async () => {
			const rows = node('Rows', 'n8n-nodes-base.code', 2, {
				jsCode: `return [
  { json: { prompt: 'row 1: a red apple' } },
  { json: { prompt: 'row 2: [fail:policy] refused' } },
  { json: { prompt: 'row 3: a green pear' } },
];`,
			});
			const image = uniall(textToImageParams(), STAND_IN_CREDENTIAL, {
				onError: 'continueRegularOutput',
			});
			await openNewWorkflow(
				session.editor.page,
				URL,
				workflow('execute step journey', [trigger(), rows, image]),
			);
			const ndv = await openNode(session.editor.page, NODE_NAME);
			await executeStep(session.editor.page, ndv);

			const json = await (await outputView(ndv, 'JSON')).innerText();
			expect(json).toMatch(/"cost":\s*0\.01836/);
			expect(json).toMatch(/content policy/i);

			const table = await (await outputView(ndv, 'Table')).innerText();
			expect(table).toContain('cost');
			expect(table).toContain('0.01836');

			const binary = await outputView(ndv, 'Binary');
			await binary.getByTestId('ndv-view-binary-data').first().click();
			const img = session.editor.page
				.locator('img[src*="binary-data"], img[src^="blob:"], img[src^="data:image"]')
				.first();
			await img.waitFor({ timeout: 30_000 });
			// The element shows before its picture has loaded (seen on 2.41.1): wait for the load.
			expect(
				await img.evaluate(
					(el: {
						complete: boolean;
						naturalWidth: number;
						addEventListener(event: string, listener: () => void): void;
					}) =>
						new Promise<boolean>((resolve) => {
							if (el.complete) return resolve(el.naturalWidth > 0);
							el.addEventListener('load', () => resolve(el.naturalWidth > 0));
							el.addEventListener('error', () => resolve(false));
						}),
				),
			).toBe(true);
		});
	});
});
