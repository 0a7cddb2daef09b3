import type { CallWarning, ChatResult } from '@ailb/shared';
import type { Message } from '@anthropic-ai/sdk/resources/messages';
import { convertAnthropicUsage } from './convert-anthropic-usage.js';
import { mapAnthropicStopReason } from './map-anthropic-stop-reason.js';

/** The parts of Anthropic's `Message` this conversion reads (kept narrow so fixtures stay small). */
export type AnthropicMessageResponse = Pick<Message, 'id' | 'model' | 'content' | 'stop_reason' | 'usage'>;

/**
 * Converts a non-streaming Anthropic response into a {@link ChatResult}, one content part per block
 * in block order: text blocks become text parts, `tool_use` blocks tool calls (their input
 * re-serialized as JSON text), and thinking blocks reasoning parts that keep what Anthropic needs to
 * take them back in a later turn (the signature, or a redacted block's data). Server-tool blocks have
 * no place in the spec and are left out.
 *
 * @param warnings - What the request conversion could not send; attached only when there are any.
 */
export function convertFromAnthropicMessage(message: AnthropicMessageResponse, warnings: readonly CallWarning[] = []): ChatResult {
  const content: ChatResult['content'] = [];
  for (const block of message.content) {
    switch (block.type) {
      case 'text':
        content.push({ type: 'text', text: block.text });
        break;
      case 'tool_use':
        content.push({ type: 'tool-call', toolCallId: block.id, toolName: block.name, input: JSON.stringify(block.input ?? {}) });
        break;
      case 'thinking':
        content.push({ type: 'reasoning', text: block.thinking, providerMetadata: { anthropic: { signature: block.signature } } });
        break;
      case 'redacted_thinking':
        content.push({ type: 'reasoning', text: '', providerMetadata: { anthropic: { redactedData: block.data } } });
        break;
      default:
        break;
    }
  }
  const result: ChatResult = {
    content,
    finishReason: mapAnthropicStopReason(message.stop_reason),
    // Anthropic always reports usage; a proxy that strips it yields null rather than a guess.
    usage: message.usage == null ? null : convertAnthropicUsage(message.usage),
    response: { id: message.id, modelId: message.model },
  };
  if (warnings.length > 0) result.warnings = [...warnings];
  return result;
}
