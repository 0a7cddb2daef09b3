import { GatewayError } from '../../contracts/errors/gateway-error.js';
import type { ChatMessage } from './chat-request.schema.js';

/**
 * What OpenAI refuses about a conversation beyond each message's shape, refused here the same way
 * rather than forwarded for a provider to reject (or, worse, to accept and answer nonsense): an empty
 * content array, an assistant message with neither content nor tool calls, and a `tool` message that
 * answers no tool call of an assistant message before it.
 */
export function conversationError(messages: readonly ChatMessage[]): GatewayError | undefined {
  const pendingCalls = new Set<string>();
  for (const [index, message] of messages.entries()) {
    const at = `messages[${index}]`;
    if (Array.isArray(message.content) && message.content.length === 0) {
      return new GatewayError('invalid_value', `Invalid '${at}.content': empty array. Expected a string or an array with at least one content part.`, { param: `${at}.content` });
    }
    if (message.role === 'assistant') {
      const calls = message.tool_calls ?? [];
      const hasContent = message.content !== null && message.content !== undefined;
      const hasRefusal = typeof message.refusal === 'string';
      if (!hasContent && !hasRefusal && calls.length === 0) {
        return new GatewayError('missing_required_parameter', `Invalid '${at}': an assistant message needs 'content' or 'tool_calls'.`, { param: `${at}.content` });
      }
      pendingCalls.clear();
      for (const call of calls) pendingCalls.add(call.id);
    } else if (message.role === 'tool') {
      if (!pendingCalls.has(message.tool_call_id)) {
        return new GatewayError(
          'invalid_value',
          `Invalid '${at}': a message with role 'tool' must answer a tool call of the assistant message before it; no tool call has id '${message.tool_call_id}'.`,
          { param: `${at}.tool_call_id` },
        );
      }
    } else {
      // A new user, system or developer turn closes the assistant's tool calls.
      pendingCalls.clear();
    }
  }
  return undefined;
}
