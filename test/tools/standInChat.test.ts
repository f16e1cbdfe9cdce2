import { CHAT_TOOL_PROMPT, chatCompletion } from '../../tools/stand-in/chat.cjs';

describe("the stand-in's scripted chat model", () => {
	const tools = [{ type: 'function', function: { name: 'UniAll_Image' } }];
	it('first calls the offered tool with its prompt, then repeats the tool result URL and cost', () => {
		const first = chatCompletion({
			model: 'm',
			messages: [{ role: 'user', content: 'make a picture' }],
			tools,
		}).json as {
			choices: Array<{
				message: { tool_calls: Array<{ function: { name: string; arguments: string } }> };
				finish_reason: string;
			}>;
		};
		expect(first.choices[0].finish_reason).toBe('tool_calls');
		expect(first.choices[0].message.tool_calls[0].function.name).toBe('UniAll_Image');
		expect(JSON.parse(first.choices[0].message.tool_calls[0].function.arguments)).toHaveProperty(
			'prompt',
		);
		const second = chatCompletion({
			messages: [
				{ role: 'user', content: 'x' },
				{ role: 'tool', content: '[{"imageUrl":"http://h/files/a.png","cost":0.01836}]' },
			],
			tools,
		}).json as { choices: Array<{ message: { content: string } }> };
		expect(second.choices[0].message.content).toBe(
			'Your image is ready: http://h/files/a.png (cost: $0.01836)',
		);
	});

	// n8n's "Defined automatically by the model" button names the argument after the field's label.
	it.each([
		[{ Prompt: { type: 'string' } }, ['Prompt'], 'Prompt'],
		[{ prompt: { type: 'string' } }, ['prompt'], 'prompt'],
		[{ size: { type: 'string' }, Image_Prompt: { type: 'string' } }, ['size'], 'Image_Prompt'],
		[{ text: { type: 'string' } }, ['text'], 'text'],
	])(
		'puts the prompt under the argument the tool schema declares (%j)',
		(properties, required, expected) => {
			const reply = chatCompletion({
				messages: [{ role: 'user', content: 'make a picture' }],
				tools: [
					{ type: 'function', function: { name: 'T', parameters: { properties, required } } },
				],
			}).json as {
				choices: Array<{ message: { tool_calls: Array<{ function: { arguments: string } }> } }>;
			};
			expect(JSON.parse(reply.choices[0].message.tool_calls[0].function.arguments)).toEqual({
				[expected]: CHAT_TOOL_PROMPT,
			});
		},
	);

	it('refuses to stream', () => {
		expect(chatCompletion({ stream: true, messages: [] }).status).toBe(400);
	});
});
