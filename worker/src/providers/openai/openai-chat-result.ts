import { upstreamTransportError, type ChatResult, type ToolCall } from '@ailb/shared';
import { generateToolCallId } from '../tool-call-helpers.js';
import { mapOpenAIFinishReason } from './map-openai-finish-reason.js';
import { mapOpenAIUsage, type OpenAIWireUsage } from './map-openai-usage.js';

interface OpenAIWireToolCall {
  id?: string | null;
  type?: string;
  function?: { name?: string | null; arguments?: string | null } | null;
}

interface OpenAIWireMessage {
  content?: string | null;
  tool_calls?: OpenAIWireToolCall[] | null;
}

/**
 * The parts of a Chat Completions response AILB reads, all optional: compatible servers leave fields
 * out, and a body that is not even an object must become a clear error rather than a TypeError.
 */
interface OpenAIWireCompletion {
  id?: string | null;
  model?: string | null;
  choices?: Array<{ finish_reason?: string | null; message?: OpenAIWireMessage | null } | null> | null;
  usage?: OpenAIWireUsage | null;
}

/** Where the response came from, for error messages and for servers that omit `model`. */
export interface OpenAIResultContext {
  provider: string;
  /** The model AILB asked for, used when the server does not name the one that answered. */
  requestedModel: string;
}

function toToolCalls(message: OpenAIWireMessage): ToolCall[] {
  return (message.tool_calls ?? [])
    .filter((toolCall) => toolCall.function && (toolCall.type === undefined || toolCall.type === 'function'))
    .map((toolCall) => ({
      id: toolCall.id || generateToolCallId(),
      name: toolCall.function?.name ?? '',
      arguments: toolCall.function?.arguments ?? '',
    }));
}

/**
 * Converts a non-streaming Chat Completions response into a {@link ChatResult}, reading `choices[0]`
 * (AILB only allows n=1). A body without choices is a malformed response, not an empty answer.
 */
export function toOpenAIChatResult(response: unknown, context: OpenAIResultContext): ChatResult {
  const completion = (typeof response === 'object' && response !== null ? response : {}) as OpenAIWireCompletion;
  const choice = Array.isArray(completion.choices) ? completion.choices[0] : undefined;
  if (!choice) {
    throw upstreamTransportError(context.provider, 'malformed', 'the response has no choices');
  }
  const message = choice.message ?? {};
  const result: ChatResult = {
    model: completion.model || context.requestedModel,
    content: message.content ?? null,
    toolCalls: toToolCalls(message),
    finishReason: mapOpenAIFinishReason(choice.finish_reason),
    usage: mapOpenAIUsage(completion.usage),
  };
  if (completion.id) result.id = completion.id;
  return result;
}
