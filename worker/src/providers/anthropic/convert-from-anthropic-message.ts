import type { ChatResult, ToolCall } from '@ailb/shared';
import type { Message } from '@anthropic-ai/sdk/resources/messages';
import { convertAnthropicUsage } from './convert-anthropic-usage.js';
import { mapAnthropicStopReason } from './map-anthropic-stop-reason.js';

/** The parts of Anthropic's `Message` this conversion reads (kept narrow so fixtures stay small). */
export type AnthropicMessageResponse = Pick<Message, 'id' | 'model' | 'content' | 'stop_reason' | 'usage'>;

/**
 * Converts a non-streaming Anthropic response into a {@link ChatResult}: text blocks are joined,
 * `tool_use` blocks become tool calls with their input re-serialized as JSON text (OpenAI's
 * `arguments`), and block types OpenAI has no place for (thinking, server tools) are left out.
 */
export function convertFromAnthropicMessage(message: AnthropicMessageResponse): ChatResult {
  const texts: string[] = [];
  const toolCalls: ToolCall[] = [];
  for (const block of message.content) {
    if (block.type === 'text') texts.push(block.text);
    else if (block.type === 'tool_use') {
      toolCalls.push({ id: block.id, name: block.name, arguments: JSON.stringify(block.input ?? {}) });
    }
  }
  return {
    id: message.id,
    model: message.model,
    content: texts.length > 0 ? texts.join('') : null,
    toolCalls,
    finishReason: mapAnthropicStopReason(message.stop_reason),
    // Anthropic always reports usage; a proxy that strips it yields null rather than a guess.
    usage: message.usage == null ? null : convertAnthropicUsage(message.usage),
  };
}
