/**
 * Request Format `auto` (the default) in a real n8n, against both stand-in styles: the UniAll
 * article's body and the strictly OpenAI-compatible one. One execution per style runs two
 * branches: spreadsheet rows through Text to Image (2 images at 2K 16:9, one row refused by the
 * content policy), and Image to Image with a binary and a URL reference. Then Quality and
 * Background per style: a transparent WebP on disk with alpha, Transparent + JPEG refused unsent,
 * and a gateway that drops `background` (the opaque image handed on with a notice).
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { ROUTES } from '../../nodes/UniAllGptImage2/helpers/contract';
import { sniffImage } from '../../nodes/UniAllGptImage2/helpers/imageInfo';
import type { ApiStyle } from '../../tools/stand-in/server.cjs';
import { png } from '../helpers/imageBytes.cjs';
import { imageToImageParams, POLL_SECONDS } from '../helpers/parameters';
import { useRealN8n } from './realN8nSession.cjs';
import { csvRows, readFile, trigger, uniall, workflow, writeImages } from './workflows.cjs';

const session = useRealN8n({ mode: 'async', latencyMs: 200, apiStyle: 'uniall' });
const { good, csv, outDir, runWorkflow } = session;

/** Two chains from one trigger: workflow() links nodes in a line, so the second chain is added here. */
function twoBranches(
	name: string,
	first: ReturnType<typeof trigger>[],
	second: ReturnType<typeof trigger>[],
) {
	const wf = workflow(name, first);
	const start = first[0];
	wf.nodes.push(...second);
	const connections = wf.connections as Record<
		string,
		{ main: Array<Array<{ node: string; type: string; index: number }>> }
	>;
	connections[start.name].main[0].push({ node: second[0].name, type: 'main', index: 0 });
	for (let i = 0; i < second.length - 1; i++)
		connections[second[i].name] = {
			main: [[{ node: second[i + 1].name, type: 'main', index: 0 }]],
		};
	return wf;
}

describe.each(['uniall', 'openai'] as ApiStyle[])(
	'Request Format auto against the %s stand-in style',
	(style) => {
		it('text to image over rows, image to image with a binary and a URL reference, a content-policy row', async () => {
			session.api.configure({ apiStyle: style });
			const rows = csv(`rows-${style}`, 'prompt', [
				'row 1: a mug',
				'row 2: a lamp',
				'row 3: a chair',
				'row 4: a rude one [fail:policy]',
			]);
			const photo = png(120, 80, 90);
			const photoFile = path.join(session.work, `product-${style}.png`);
			writeFileSync(photoFile, photo);
			const t2iDir = outDir(`t2i-${style}`);
			const i2iDir = outDir(`i2i-${style}`);
			// The content-policy row's error item has no file to write: it passes on as an error item.
			const t2iWrite = { ...writeImages(t2iDir), onError: 'continueRegularOutput' };
			const i2iWrite = { ...writeImages(i2iDir), name: 'Write References Result' };
			const result = await runWorkflow(
				twoBranches(
					`e2e request format ${style}`,
					[
						trigger(),
						readFile(rows),
						csvRows(),
						uniall(
							{
								operation: 'textToImage',
								prompt: '={{ $json.prompt }}',
								aspectRatio: '16:9',
								resolution: '2K',
								numImages: 2,
								options: { pollInterval: POLL_SECONDS, concurrency: 4 },
							},
							good,
							{ name: 'Text to Image', onError: 'continueRegularOutput' },
						),
						t2iWrite,
					],
					[
						readFile(photoFile, 'Product Photo'),
						uniall(
							imageToImageParams(undefined, { options: { pollInterval: POLL_SECONDS } }),
							good,
							{
								name: 'Image to Image',
							},
						),
						i2iWrite,
					],
				),
			);
			expect(result.error).toBeUndefined();

			// Text to Image: 3 rows x 2 images of the documented 2K 16:9 size, the 4th row an error item.
			const t2i = result.items('Text to Image');
			expect(
				t2i.map(
					(i) =>
						i.json.error ?? [
							i.json.prompt,
							i.json.width,
							i.json.height,
							i.json.cost,
							i.json.requestCost,
							i.json.requestFormat,
						],
				),
			).toEqual([
				...['row 1: a mug', 'row 2: a lamp', 'row 3: a chair'].flatMap((prompt) =>
					Array(2).fill([prompt, 1920, 1080, 0.05576, 0.11152, style]),
				),
				"The prompt was rejected by UniAll's content policy [item 3]",
			]);
			expect(readdirSync(t2iDir)).toHaveLength(6);
			for (const [i, item] of t2i.slice(0, 6).entries()) {
				const bytes = readFileSync(path.join(t2iDir, `item-${i}.png`));
				expect(bytes.equals(session.api.fileBytes(String(item.json.imageUrl)) as Buffer)).toBe(
					true,
				);
				expect(sniffImage(bytes)).toMatchObject({ width: 1920, height: 1080 });
			}

			// Image to Image: both references sent, in the format the API speaks.
			const [i2i] = result.items('Image to Image');
			expect(i2i.json).toMatchObject({
				operation: 'imageToImage',
				width: 1024,
				height: 1024,
				cost: 0.01836,
				requestFormat: style,
			});
			expect(
				readFileSync(path.join(i2iDir, 'item-0.png')).equals(
					session.api.fileBytes(String(i2i.json.imageUrl)) as Buffer,
				),
			).toBe(true);
			const refs = [
				`data:image/png;base64,${photo.toString('base64')}`,
				'https://cdn.example.com/style.jpg',
			];
			const i2iPost = session.api.log.filter(
				(e) =>
					e.route === 'generations' &&
					e.accepted &&
					(e.body as { prompt: string }).prompt.includes('beach'),
			);
			expect(i2iPost).toHaveLength(1);
			expect(i2iPost[0]).toMatchObject(
				style === 'uniall'
					? { path: ROUTES.generations, body: { image_url: refs } }
					: { path: ROUTES.edits, body: { images: refs, size: '1024x1024', n: 1 } },
			);

			// Nothing waits: in the OpenAI style the rows in flight before the first refusal (at most the
			// Concurrency, 4) are refused once each; rows started later send the OpenAI body. Auto
			// remembers per model and generation mode (issue 26 item 9: Image to Image's OpenAI body goes
			// to another endpoint), so the Image to Image node learns on its own: one more refusal at
			// most. Every row is billed once.
			const posts = session.api.log.filter((e) => e.route === 'generations');
			const spoken = (e: (typeof posts)[number]) =>
				(style === 'openai' ? 'size' : 'generation_mode') in (e.body as object);
			const refusedFormat = posts.filter((e) => !spoken(e));
			expect(refusedFormat.map((e) => e.status)).toEqual(Array(refusedFormat.length).fill(400));
			if (style === 'openai') expect([1, 2, 3, 4, 5]).toContain(refusedFormat.length);
			else expect(refusedFormat).toHaveLength(0);
			expect(posts).toHaveLength(5 + refusedFormat.length);
			expect(session.api.count('generations', { accepted: true })).toBe(4);
			// The content-policy row was sent once in the format that works, and never again.
			expect(
				posts
					.filter(
						(e) => (e.body as { prompt: string }).prompt.includes('[fail:policy]') && spoken(e),
					)
					.map((e) => e.status),
			).toEqual([400]);
		});
	},
);

describe.each(['uniall', 'openai'] as ApiStyle[])(
	'Quality and Background against the %s stand-in style',
	(style) => {
		const node = (name: string, options: Record<string, unknown>) =>
			uniall(
				{
					operation: 'textToImage',
					prompt: `a desk lamp, product shot (${name})`,
					aspectRatio: '1:1',
					resolution: '1K',
					numImages: 1,
					options: { pollInterval: POLL_SECONDS, ...options },
				},
				good,
				{ name, onError: 'continueRegularOutput' },
			);
		const postsOf = (name: string) =>
			session.api.log.filter(
				(e) =>
					e.route === 'generations' && (e.body as { prompt: string }).prompt.includes(`(${name})`),
			);

		it('a transparent WebP written to disk with alpha; Transparent + JPEG refused unsent; an opaque answer with a notice', async () => {
			session.api.configure({ apiStyle: style, ignoreBackground: false });
			const dir = outDir(`background-${style}`);
			const transparent = { quality: 'high', background: 'transparent', outputFormat: 'webp' };
			const result = await runWorkflow(
				twoBranches(
					`e2e quality and background ${style}`,
					[trigger(), node('Transparent', transparent), writeImages(dir)],
					[node('Transparent JPEG', { background: 'transparent', outputFormat: 'jpeg' })],
				),
			);
			expect(result.error).toBeUndefined();
			const [image] = result.items('Transparent');
			expect(image.json).toMatchObject({
				mimeType: 'image/webp',
				cost: 0.01836,
				requestFormat: style,
			});
			expect(image.json).not.toHaveProperty('notice');
			const bytes = readFileSync(path.join(dir, 'item-0.webp'));
			expect(sniffImage(bytes)).toMatchObject({ mimeType: 'image/webp', hasAlpha: true });
			const accepted = postsOf('Transparent').filter((e) => e.accepted);
			expect(accepted).toHaveLength(1);
			expect(accepted[0].body).toMatchObject({
				quality: 'high',
				background: 'transparent',
				output_format: 'webp',
			});
			const [refused] = result.items('Transparent JPEG');
			expect(String(refused.json.error)).toMatch(/Background Transparent .*Output Format JPEG/);
			expect(postsOf('Transparent JPEG')).toHaveLength(0);

			// A gateway that drops `background`: the opaque PNG is handed on, same price, with a notice.
			session.api.configure({ ignoreBackground: true });
			const opaque = await runWorkflow(
				workflow(`e2e opaque background ${style}`, [
					trigger(),
					node('Opaque Answer', { background: 'transparent' }),
				]),
			);
			session.api.configure({ ignoreBackground: false });
			expect(opaque.error).toBeUndefined();
			const [answer] = opaque.items('Opaque Answer');
			expect(answer.json).toMatchObject({ mimeType: 'image/png', cost: 0.01836 });
			expect(answer.json.notice).toMatch(/Background was Transparent, .*came back opaque/);
		});
	},
);
