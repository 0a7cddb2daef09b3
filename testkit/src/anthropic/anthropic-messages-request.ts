import type { ChatConversation } from '../answer-plan.js';
import { asArray, asObject, asStringList, contentText, firstString } from '../content-text.js';
import type { JsonReply } from '../exchange.js';
import { countWords } from '../words.js';
import { anthropicBadRequest } from './anthropic-errors.js';

/** The text of the `tool_result` blocks of a message content, or null when it has none. */
function toolResultText(content: unknown): string | null {
  const results = asArray(content)
    .map(asObject)
    .filter((block): block is Record<string, unknown> => block?.type === 'tool_result');
  if (results.length === 0) return null;
  return results.map((block) => contentText(block.content)).join(' ');
}

/** Words of everything the model reads in one message: text blocks and tool results. */
function messageWords(content: unknown): number {
  return countWords(contentText(content)) + countWords(toolResultText(content) ?? '');
}

/**
 * Validates what Anthropic itself rejects (missing `max_tokens`, a `system` role inside `messages`)
 * and reads the rest leniently.
 */
export function readAnthropicMessagesRequest(body: unknown): ChatConversation | { error: JsonReply } {
  const request = asObject(body);
  if (request === null) return { error: anthropicBadRequest('Request body must be a JSON object') };
  const model = firstString(request.model);
  if (model === null) return { error: anthropicBadRequest('model: Field required') };
  if (request.max_tokens === undefined) return { error: anthropicBadRequest('max_tokens: Field required') };
  const maxTokens = request.max_tokens;
  if (typeof maxTokens !== 'number' || !Number.isInteger(maxTokens)) {
    return { error: anthropicBadRequest('max_tokens: Input should be a valid integer') };
  }
  if (maxTokens < 1) return { error: anthropicBadRequest('max_tokens: Input should be greater than or equal to 1') };
  if (!Array.isArray(request.messages)) return { error: anthropicBadRequest('messages: Field required') };
  if (request.messages.length === 0) return { error: anthropicBadRequest('messages: at least one message is required') };
  const messages = request.messages.map((message) => asObject(message) ?? {});
  const roleIndex = messages.findIndex((message) => message.role !== 'user' && message.role !== 'assistant');
  if (roleIndex >= 0) {
    const role = String(messages[roleIndex]?.role);
    const hint = role === 'system' ? ' The Messages API accepts a top-level `system` parameter, not "system" as an input message role.' : '';
    return { error: anthropicBadRequest(`messages: Unexpected role "${role}".${hint}`) };
  }

  const last = messages[messages.length - 1] ?? {};
  const lastToolResult = last.role === 'user' ? toolResultText(last.content) : null;
  const lastUserWithText = [...messages].reverse().find((message) => message.role === 'user' && contentText(message.content) !== '');
  const toolChoice = asObject(request.tool_choice);
  return {
    model,
    stream: request.stream === true,
    promptTokens: countWords(contentText(request.system)) + messages.reduce((total, message) => total + messageWords(message.content), 0),
    lastUserText: lastUserWithText ? contentText(lastUserWithText.content) : '',
    toolResultText: lastToolResult,
    endsWithUserText: last.role === 'user' && lastToolResult === null,
    prefill: last.role === 'assistant' ? contentText(last.content) : null,
    toolNames: asArray(request.tools)
      .map((tool) => firstString(asObject(tool)?.name))
      .filter((name): name is string => name !== null),
    forcedToolName: toolChoice?.type === 'tool' ? firstString(toolChoice.name) : null,
    toolsDisabled: toolChoice?.type === 'none',
    maxTokens,
    stopSequences: asStringList(request.stop_sequences),
  };
}
