/**
 * A scripted OpenAI-compatible chat model (POST /v1/chat/completions, non-streaming), so n8n's
 * AI Agent with the OpenAI Chat Model node can drive the UniAll tool offline. It does not think:
 *   1. no tool result in the conversation yet -> call the first offered tool with CHAT_TOOL_PROMPT,
 *      under the argument name the tool's schema declares (as a real model would);
 *   2. a tool result is there -> answer with the `imageUrl` and `cost` found in that result.
 * Tests read what n8n sent (the tool list, the tool result text) from the stand-in's request log.
 */
import type { Reply } from './routes.cjs';

/** The prompt the "model" chooses for the image tool. */
export const CHAT_TOOL_PROMPT = 'A red bicycle leaning on a white wall, morning light';

interface ChatMessage {
	role: string;
	content?: unknown;
	tool_call_id?: string;
}

interface ChatRequest {
	model?: string;
	stream?: boolean;
	messages?: ChatMessage[];
	tools?: Array<{ type: string; function: OfferedTool }>;
}

interface OfferedTool {
	name: string;
	parameters?: { properties?: Record<string, unknown>; required?: string[] };
}

/**
 * The argument the prompt goes in: the schema's property named like "prompt" (n8n's "Defined
 * automatically by the model" button names it after the field's label, `Prompt`; a hand-written
 * `$fromAI('prompt')` gives `prompt`), else its first required one, else `prompt`.
 */
export function promptArgument(tool: OfferedTool): string {
	const names = Object.keys(tool.parameters?.properties ?? {});
	return (
		names.find((n) => n.toLowerCase() === 'prompt') ??
		names.find((n) => /prompt/i.test(n)) ??
		tool.parameters?.required?.[0] ??
		'prompt'
	);
}

const usage = { prompt_tokens: 50, completion_tokens: 20, total_tokens: 70 };

function completion(model: string, message: Record<string, unknown>, finishReason: string): Reply {
	return {
		status: 200,
		json: {
			id: `chatcmpl-${Date.now().toString(36)}`,
			object: 'chat.completion',
			created: Math.floor(Date.now() / 1000),
			model,
			choices: [{ index: 0, message, finish_reason: finishReason, logprobs: null }],
			usage,
		},
	};
}

/** Text of a message: a string, or the text parts of a content array. */
export function messageText(content: unknown): string {
	if (typeof content === 'string') return content;
	if (Array.isArray(content))
		return content
			.map((part) =>
				typeof part === 'string' ? part : String((part as { text?: unknown }).text ?? ''),
			)
			.join('');
	return '';
}

export function chatCompletion(body: unknown): Reply {
	const request = (body ?? {}) as ChatRequest;
	const model = request.model ?? 'stand-in-chat';
	if (request.stream)
		return {
			status: 400,
			json: {
				error: {
					message: 'The stand-in chat model does not stream.',
					type: 'invalid_request_error',
				},
			},
		};
	const toolResult = [...(request.messages ?? [])].reverse().find((m) => m.role === 'tool');
	if (!toolResult) {
		const tool = request.tools?.[0]?.function;
		if (!tool)
			return completion(
				model,
				{ role: 'assistant', content: 'No tool was offered to the stand-in chat model.' },
				'stop',
			);
		const call = {
			id: 'call_uniall_1',
			type: 'function',
			function: {
				name: tool.name,
				arguments: JSON.stringify({ [promptArgument(tool)]: CHAT_TOOL_PROMPT }),
			},
		};
		return completion(
			model,
			{ role: 'assistant', content: null, tool_calls: [call] },
			'tool_calls',
		);
	}
	const text = messageText(toolResult.content);
	const imageUrl = /"imageUrl"\s*:\s*"([^"]+)"/.exec(text)?.[1];
	const cost = /"cost"\s*:\s*([0-9.]+)/.exec(text)?.[1];
	const content =
		imageUrl && cost
			? `Your image is ready: ${imageUrl} (cost: $${cost})`
			: `The tool result had no imageUrl and cost: ${text.slice(0, 300)}`;
	return completion(model, { role: 'assistant', content }, 'stop');
}
