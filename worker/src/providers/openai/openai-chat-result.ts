import { upstreamTransportError, type ChatResult } from '@ailb/shared';
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
  /** Reasoning text, as compatible servers expose it (DeepSeek and vLLM: reasoning_content; others: reasoning). */
  reasoning_content?: string | null;
  reasoning?: string | null;
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

/** The reasoning text a compatible server put beside the answer, if any. */
export function reasoningText(message: { reasoning_content?: unknown; reasoning?: unknown }): string | undefined {
  const text = typeof message.reasoning_content === 'string' ? message.reasoning_content : message.reasoning;
  return typeof text === 'string' && text !== '' ? text : undefined;
}

/**
 * Converts a non-streaming Chat Completions response into a {@link ChatResult}, reading `choices[0]`
 * (AILB only allows n=1): reasoning (where a compatible server exposes it), text, then tool calls.
 * A body without choices is a malformed response, not an empty answer.
 */
export function toOpenAIChatResult(response: unknown, context: OpenAIResultContext): ChatResult {
  const completion = (typeof response === 'object' && response !== null ? response : {}) as OpenAIWireCompletion;
  const choice = Array.isArray(completion.choices) ? completion.choices[0] : undefined;
  if (!choice) {
    throw upstreamTransportError(context.provider, 'malformed', 'the response has no choices');
  }
  const message = choice.message ?? {};
  const content: ChatResult['content'] = [];
  const reasoning = reasoningText(message);
  if (reasoning !== undefined) content.push({ type: 'reasoning', text: reasoning });
  // null content means the model said nothing (a tool-call answer); '' is an empty answer.
  if (typeof message.content === 'string') content.push({ type: 'text', text: message.content });
  for (const toolCall of message.tool_calls ?? []) {
    if (!toolCall.function || (toolCall.type !== undefined && toolCall.type !== 'function')) continue;
    content.push({ type: 'tool-call', toolCallId: toolCall.id || generateToolCallId(), toolName: toolCall.function.name ?? '', input: toolCall.function.arguments ?? '' });
  }
  const result: ChatResult = {
    content,
    finishReason: mapOpenAIFinishReason(choice.finish_reason),
    usage: mapOpenAIUsage(completion.usage),
    response: { modelId: completion.model || context.requestedModel },
  };
  if (completion.id) result.response.id = completion.id;
  return result;
}
