import { GatewayError, joinText, type AssistantMessage, type Prompt, type ToolMessage, type UserMessage } from '@ailb/shared';
import type { OllamaMessage, OllamaToolCall } from './ollama-wire.js';
import { parseToolArguments } from '../tool-call-helpers.js';

/** `data:<media type>[;params];base64,<data>`: the only image form Ollama can take. */
const BASE64_DATA_URL = /^data:[^,]*;base64,(.*)$/s;

/** The spec location of one content part, which errors name (the gateway turns it into the client's). */
const partParam = (messageIndex: number, partIndex: number): string => `prompt[${messageIndex}].content[${partIndex}]`;

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
  const images: string[] = [];
  message.content.forEach((part, partIndex) => {
    const param = partParam(messageIndex, partIndex);
    if (part.type === 'image') images.push(imageBase64(part.url, param));
    else if (part.type === 'file') {
      throw new GatewayError('unsupported_value', 'Ollama accepts only text and images in user messages, not files or audio.', { param });
    }
  });
  const converted: OllamaMessage = { role: 'user', content: joinText(message.content) };
  if (images.length > 0) converted.images = images;
  return converted;
}

/**
 * Text and tool calls of an assistant turn. Reasoning parts are dropped: what the model thought is not
 * part of what it said, and the previous behaviour (OpenAI bodies) never sent any.
 */
function toAssistantMessage(message: AssistantMessage, messageIndex: number): OllamaMessage {
  const converted: OllamaMessage = { role: 'assistant', content: joinText(message.content) };
  const toolCalls: OllamaToolCall[] = [];
  message.content.forEach((part, partIndex) => {
    if (part.type !== 'tool-call') return;
    // Ollama wants the arguments as an object; the spec keeps the model's JSON text.
    const input = parseToolArguments(part.input, `${partParam(messageIndex, partIndex)}.input`);
    toolCalls.push({ function: { name: part.toolName, arguments: input } });
  });
  if (toolCalls.length > 0) converted.tool_calls = toolCalls;
  return converted;
}

/** One Ollama `tool` message per result: Ollama has no message holding several. */
function toToolMessages(message: ToolMessage, toolNamesById: ReadonlyMap<string, string>): OllamaMessage[] {
  return message.content.map((part) => {
    const converted: OllamaMessage = { role: 'tool', content: part.output };
    const toolName = part.toolName ?? toolNamesById.get(part.toolCallId);
    if (toolName !== undefined) converted.tool_name = toolName;
    return converted;
  });
}

/**
 * Converts a spec prompt into Ollama's messages. Images must be inline base64; tool results name their
 * function (Ollama matches results by name, not by call id): the part's own `toolName`, or else the
 * name of the earlier assistant tool call with the same id.
 *
 * @throws GatewayError `unsupported_value` (`prompt[i].content[j]`) for an image link or a file part,
 * `invalid_value` (`prompt[i].content[j].input`) for tool call arguments that are not a JSON object.
 */
export function toOllamaMessages(prompt: Prompt): OllamaMessage[] {
  const toolNamesById = new Map<string, string>();
  return prompt.flatMap((message, messageIndex): OllamaMessage[] => {
    switch (message.role) {
      case 'system':
        return [{ role: 'system', content: message.content }];
      case 'user':
        return [toUserMessage(message, messageIndex)];
      case 'assistant':
        for (const part of message.content) if (part.type === 'tool-call') toolNamesById.set(part.toolCallId, part.toolName);
        return [toAssistantMessage(message, messageIndex)];
      case 'tool':
        return toToolMessages(message, toolNamesById);
    }
  });
}
