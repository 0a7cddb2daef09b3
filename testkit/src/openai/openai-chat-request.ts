import type { ChatConversation } from '../answer-plan.js';
import { asNumber, asObject, asStringList, firstString } from '../content-text.js';
import type { JsonReply } from '../exchange.js';
import { readOpenAIShapedMessages } from '../openai-shaped-messages.js';
import { openAIBadRequest } from './openai-errors.js';

/** A Chat Completions request as the simulator understands it. */
export interface OpenAIChatRequest {
  conversation: ChatConversation;
  /** `stream_options.include_usage`: every chunk carries `usage: null` and a usage chunk comes last. */
  includeUsage: boolean;
}

/** Validates what OpenAI itself rejects (missing model or messages) and reads the rest leniently. */
export function readOpenAIChatRequest(body: unknown): OpenAIChatRequest | { error: JsonReply } {
  const request = asObject(body);
  if (request === null) return { error: openAIBadRequest('Invalid request body: expected a JSON object.') };
  const model = firstString(request.model);
  if (model === null) return { error: openAIBadRequest('you must provide a model parameter') };
  if (!Array.isArray(request.messages)) {
    return { error: openAIBadRequest("Missing required parameter: 'messages'.", 'messages', 'missing_required_parameter') };
  }
  if (request.messages.length === 0) {
    return { error: openAIBadRequest("Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.", 'messages', 'empty_array') };
  }
  const messages = request.messages.map((message) => asObject(message) ?? {});
  const toolChoice = request.tool_choice;
  const forcedToolName = firstString(asObject(asObject(toolChoice)?.function)?.name);
  const streamOptions = asObject(request.stream_options);
  return {
    conversation: {
      model,
      stream: request.stream === true,
      ...readOpenAIShapedMessages(messages, request.tools),
      forcedToolName,
      toolsDisabled: toolChoice === 'none',
      maxTokens: asNumber(request.max_completion_tokens) ?? asNumber(request.max_tokens),
      stopSequences: asStringList(request.stop),
    },
    includeUsage: streamOptions?.include_usage === true,
  };
}
