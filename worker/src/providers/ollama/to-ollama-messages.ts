import { contentText, GatewayError, type ChatMessage } from '@ailb/shared';
import type { OllamaMessage, OllamaToolCall } from './ollama-wire.js';
import { parseToolArguments } from '../tool-call-helpers.js';

type UserMessage = Extract<ChatMessage, { role: 'user' }>;
type AssistantMessage = Extract<ChatMessage, { role: 'assistant' }>;

/** `data:<media type>[;params];base64,<data>`: the only image form Ollama can take. */
const BASE64_DATA_URL = /^data:[^,]*;base64,(.*)$/s;

/** The base64 payload of an image part; Ollama cannot fetch URLs itself. */
function imageBase64(url: string, param: string): string {
  const match = BASE64_DATA_URL.exec(url);
  if (match) return match[1] ?? '';
  throw new GatewayError(
    'unsupported_value',
    'Ollama accepts images only as base64 data URLs (data:image/png;base64,...), not as links.',
    { param },
  );
}

function toUserMessage(message: UserMessage, messageIndex: number): OllamaMessage {
  if (typeof message.content === 'string') return { role: 'user', content: message.content };
  const images: string[] = [];
  message.content.forEach((part, partIndex) => {
    const param = `messages[${messageIndex}].content[${partIndex}]`;
    if (part.type === 'text') return;
    if (part.type === 'image_url') images.push(imageBase64(part.image_url.url, param));
    else throw new GatewayError('unsupported_value', `Ollama does not accept ${part.type} content parts.`, { param });
  });
  const converted: OllamaMessage = { role: 'user', content: contentText(message.content) };
  if (images.length > 0) converted.images = images;
  return converted;
}


function toAssistantMessage(message: AssistantMessage, messageIndex: number): OllamaMessage {
  const converted: OllamaMessage = { role: 'assistant', content: contentText(message.content) };
  if (message.tool_calls && message.tool_calls.length > 0) {
    converted.tool_calls = message.tool_calls.map(
      (toolCall, callIndex): OllamaToolCall => ({
        function: {
          name: toolCall.function.name,
          arguments: parseToolArguments(
            toolCall.function.arguments,
            `messages[${messageIndex}].tool_calls[${callIndex}].function.arguments`,
          ),
        },
      }),
    );
  }
  return converted;
}

/**
 * Converts OpenAI chat messages into Ollama's. `developer` becomes `system`; images must be inline
 * base64; tool results name their function (Ollama matches results by name, not by call id), found
 * from the earlier assistant call with the same id.
 *
 * @throws GatewayError `unsupported_value` / `invalid_value` naming the offending `messages[...]` path.
 */
export function toOllamaMessages(messages: ReadonlyArray<ChatMessage>): OllamaMessage[] {
  const toolNamesById = new Map<string, string>();
  return messages.map((message, messageIndex): OllamaMessage => {
    switch (message.role) {
      case 'system':
      case 'developer':
        return { role: 'system', content: contentText(message.content) };
      case 'user':
        return toUserMessage(message, messageIndex);
      case 'assistant':
        for (const toolCall of message.tool_calls ?? []) toolNamesById.set(toolCall.id, toolCall.function.name);
        return toAssistantMessage(message, messageIndex);
      case 'tool': {
        const converted: OllamaMessage = { role: 'tool', content: contentText(message.content) };
        const toolName = toolNamesById.get(message.tool_call_id);
        if (toolName !== undefined) converted.tool_name = toolName;
        return converted;
      }
    }
  });
}
