import {
	BudgetExceededError,
	DeadlineError,
	describeInputError,
	editorHtml,
	FORMAT_HINTS,
	imageNotStored,
	imageTooLarge,
	InputError,
	lostImage,
	lostImages,
	MAY_HAVE_ACCEPTED_NOTE,
	noImagesReturned,
	notSentWithinTimeout,
	rateLimitedUntilTimeout,
	syncTimeout,
	taskFailed,
	taskStillOpen,
	taskTimeout,
	withItem,
} from '../../nodes/UniAllGptImage2/helpers/errors';

/**
 * The words of generations, budgets and lost images (helpers/errors.ts). API and download words
 * are in errors.test.ts and downloadErrors.test.ts; the workflow tests check them in n8n's output.
 */
describe('generation words', () => {
	it('a failed task gives UniAll reason and code and says nothing is billed', () => {
		const mapped = taskFailed('task_1', {
			status: 'failed',
			error: { code: 'nsfw', message: 'blocked' },
		});
		expect(mapped).toMatchObject({
			reason: 'task_failed',
			message: 'The generation task task_1 failed: blocked',
		});
		expect(mapped.description).toBe(
			'UniAll reported status "failed" (nsfw). Failed images are not billed.',
		);
		expect(taskFailed('task_2', { status: 'error' }).message).toMatch(/no reason given$/);
	});

	it('timeouts say which option to raise, and name the task when there is one', () => {
		expect(taskTimeout('task_9', 1500).message).toBe(
			'The generation did not finish within 1.5 s (task task_9)',
		);
		expect(taskTimeout('task_9', 1500).description).toMatch(
			/Get Task operation and Task ID "task_9"/,
		);
		expect(syncTimeout(60_000).message).toMatch(/within the Timeout of 60 s$/);
		expect(syncTimeout(60_000).description).toMatch(/stays counted against Max Cost per Execution/);
		expect(notSentWithinTimeout(2000).description).toMatch(
			/accepted nothing, so nothing is billed/,
		);
		for (const mapped of [taskTimeout('t', 1), syncTimeout(1), notSentWithinTimeout(1)])
			expect(mapped.reason).toBe('timeout');
	});

	it('an empty answer bills nothing; a lost answer says the job stays counted', () => {
		expect(noImagesReturned('task_3').description).toBe(
			'Nothing was delivered, so nothing is billed. Task task_3.',
		);
		expect(noImagesReturned().description).toBe('Nothing was delivered, so nothing is billed.');
		expect(MAY_HAVE_ACCEPTED_NOTE).toMatch(/not resent, so that nobody pays twice/);
	});

	it('a failed status check names the task for Get Task', () => {
		const words = taskStillOpen('task_4');
		expect(words.messageSuffix).toBe(' while checking task task_4');
		expect(words.descriptionPrefix).toMatch(/may still complete and be billed.*Task ID "task_4"/);
	});

	it('rate limits until the Timeout quote UniAll and say nothing was billed', () => {
		const mapped = rateLimitedUntilTimeout('the generation request', {
			status: 429,
			body: { error: { message: 'slow down' } },
		});
		expect(mapped).toMatchObject({ reason: 'rate_limited', httpCode: '429' });
		expect(mapped.description).toMatch(/nothing is billed.*UniAll said: "slow down"$/);
	});

	it('format hints name the setting to change', () => {
		expect(FORMAT_HINTS.pinned('openai')).toMatch(
			/^Request Format is set to "openai"; .* set Request Format to Auto\.$/,
		);
		expect(FORMAT_HINTS.noOpenAiSize('4:5', '4K')).toMatch(
			/Aspect Ratio 4:5 at Resolution 4K has no documented size/,
		);
		expect(FORMAT_HINTS.bothRefused('Unknown parameter')).toBe(
			'UniAll refused the UniAll request format too: Unknown parameter',
		);
	});
});

describe('budget and input words', () => {
	it('a refused row says what it would cost, the spend and the limit', () => {
		const error = new BudgetExceededError(0.1, 0.09, 0.01836);
		expect(error.message).toBe(
			'This row would cost $0.01836 and bring the spend of this execution to $0.10836, over the Max Cost per Execution of $0.1',
		);
	});

	it('an input error points at its field and says nothing was sent', () => {
		expect(describeInputError(new InputError('Prompt', 'Prompt is empty'))).toBe(
			'Check the "Prompt" parameter of the node for this item. Nothing was sent to UniAll.',
		);
	});
});

describe('lost image words', () => {
	const lost = {
		imageIndex: 1,
		of: 3,
		imageUrl: 'https://cdn.example/2.png',
		cost: 0.05576,
		taskId: 'task_5',
	};

	it('says which image, where it is, what it cost and how to fetch it again', () => {
		const words = lostImage(lost, { message: 'The host refused', description: 'HTTP 403.' });
		expect(words.message).toBe('Image 2 of 3 was not handed on: The host refused');
		expect(words.description).toBe(
			'The image was generated and billed ($0.05576) but not handed on. It is at https://cdn.example/2.png ' +
				'(UniAll\'s URLs may expire after about a day), or fetch it again with the Get Task operation and Task ID "task_5". HTTP 403.',
		);
		expect(
			lostImage({ imageIndex: 0, of: 1, cost: 0.01836 }, { message: 'x' }).description,
		).toMatch(/It came inline, without a URL\.$/);
	});

	it('a row that lost several images lists every one, with the first one reason', () => {
		const mapped = lostImages(
			[
				{ message: 'Image 1 of 2: a', description: 'first', reason: 'network' },
				{ message: 'Image 2 of 2: b', description: 'second', reason: 'timeout' },
			],
			2,
		);
		expect(mapped.reason).toBe('network');
		expect(mapped.message).toBe(
			'2 of 2 images were generated (and billed) but not handed on. Image 1 of 2: a',
		);
		expect(mapped.description).toBe('Image 1 of 2: a: first\nImage 2 of 2: b: second');
	});

	it('a store failure without words of its own is worded by its cause', () => {
		expect(imageNotStored(new DeadlineError(), 30_000).message).toBe(
			'The image was not downloaded within the Timeout of 30 s',
		);
		expect(imageNotStored(new Error('disk full'), 30_000)).toMatchObject({
			reason: 'bad_response',
			message: 'The image could not be stored: disk full',
		});
		expect(imageTooLarge(64 * 1024 * 1024).message).toBe(
			'The generated image is larger than 64 MB and was not downloaded',
		);
	});
});

describe('how errors name the item and break lines, as n8n shows them', () => {
	// n8n's editor appends " [item N]" (0-based) to a node's error unless the message contains
	// "item N": with the label in the message, the editor shows one number, the same as the JSON.
	const editorMessage = (message: string, itemIndex: number) =>
		message.includes(`item ${itemIndex}`) ? message : `${message} [item ${itemIndex}]`;

	it("labels the item with n8n's own 0-based index, once", () => {
		const labelled = withItem('The prompt was rejected', 1);
		expect(labelled).toBe('The prompt was rejected [item 1]');
		expect(withItem(labelled, 1)).toBe(labelled);
		expect(editorMessage(labelled, 1)).toBe(labelled);
		expect(withItem('Budget reached', 12)).toBe('Budget reached [item 12]');
	});

	it('turns description lines into the line breaks the editor renders, escaping the text', () => {
		expect(editorHtml('fetch it with Get Task\nTotal: $0.03672')).toBe(
			'fetch it with Get Task<br>Total: $0.03672',
		);
		expect(editorHtml('a\n\nb')).toBe('a<br><br>b');
		expect(editorHtml('size <= 4096 & "x"')).toBe('size &lt;= 4096 &amp; "x"');
	});
});
