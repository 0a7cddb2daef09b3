import { upstreamTransportError, type FinishReason, type StreamPart, type Usage } from '@ailb/shared';
import { generateToolCallId } from '../tool-call-helpers.js';
import { mapOpenAIFinishReason } from './map-openai-finish-reason.js';
import { mapOpenAIUsage, type OpenAIWireUsage } from './map-openai-usage.js';
import { reasoningText } from './openai-chat-result.js';

/** One `chat.completion.chunk`, with every field optional for the same reasons as the response. */
export interface OpenAIWireChunk {
  id?: string | null;
  model?: string | null;
  choices?: Array<{
    finish_reason?: string | null;
    delta?: {
      content?: string | null;
      reasoning_content?: string | null;
      reasoning?: string | null;
      tool_calls?: Array<{
        index?: number | null;
        id?: string | null;
        function?: { name?: string | null; arguments?: string | null } | null;
      }> | null;
    } | null;
  } | null> | null;
  usage?: OpenAIWireUsage | null;
}

/** Where the chunks come from, for error messages and for servers that omit `model`. */
export interface OpenAIStreamContext {
  provider: string;
  /** The model AILB asked for, used when the server does not name the one that answered. */
  requestedModel: string;
}

const TEXT_ID = 'text-0';
const REASONING_ID = 'reasoning-0';

/** A tool call being streamed: its id and name from its first delta, its arguments so far. */
interface OpenToolCall {
  id: string;
  name: string;
  input: string;
}

/**
 * Turns OpenAI stream chunks into spec stream parts: `stream-start`, `response-metadata` from the first
 * chunk, reasoning (where a compatible server streams it) and text blocks, a tool-input block per tool
 * call (OpenAI numbers them by `index`) ended with its complete `tool-call`, and one `finish` once the
 * chunks end.
 *
 * `finish` is emitted at the end of the chunks rather than at the `finish_reason` chunk because the
 * usage chunk (`include_usage`) comes after it. A stream that ends without `[DONE]` but after a
 * `finish_reason` is complete; one that ends before any `finish_reason` was cut and throws
 * `upstream_malformed_response`.
 */
export async function* toOpenAIStreamParts(chunks: AsyncIterable<OpenAIWireChunk>, context: OpenAIStreamContext): AsyncGenerator<StreamPart, void, undefined> {
  let sawFirstChunk = false;
  let finishReason: FinishReason | undefined;
  let usage: Usage | null = null;
  let textOpen = false;
  let reasoningOpen = false;
  const toolCalls = new Map<number, OpenToolCall>();

  yield { type: 'stream-start', warnings: [] };
  for await (const chunk of chunks) {
    if (!sawFirstChunk) {
      sawFirstChunk = true;
      const metadata: StreamPart = { type: 'response-metadata', modelId: chunk.model || context.requestedModel };
      if (chunk.id) metadata.id = chunk.id;
      yield metadata;
    }
    // The usage chunk has `choices: []`; other chunks carry `usage: null`.
    if (chunk.usage) usage = mapOpenAIUsage(chunk.usage) ?? usage;

    const choice = chunk.choices?.[0];
    if (!choice) continue;
    const delta = choice.delta;
    const reasoning = delta ? reasoningText(delta) : undefined;
    if (reasoning !== undefined) {
      if (!reasoningOpen) yield { type: 'reasoning-start', id: REASONING_ID };
      reasoningOpen = true;
      yield { type: 'reasoning-delta', id: REASONING_ID, delta: reasoning };
    }
    if (delta?.content) {
      if (reasoningOpen) yield { type: 'reasoning-end', id: REASONING_ID };
      reasoningOpen = false;
      if (!textOpen) yield { type: 'text-start', id: TEXT_ID };
      textOpen = true;
      yield { type: 'text-delta', id: TEXT_ID, delta: delta.content };
    }

    for (const [position, toolCall] of (delta?.tool_calls ?? []).entries()) {
      // Some compatible servers leave out `index` when they send one call per chunk.
      const index = toolCall.index ?? position;
      let open = toolCalls.get(index);
      const name = toolCall.function?.name;
      // Only the first delta of a call names it; servers that repeat the id must not restart it.
      if (!open && (toolCall.id || name)) {
        open = { id: toolCall.id || generateToolCallId(), name: name ?? '', input: '' };
        toolCalls.set(index, open);
        yield { type: 'tool-input-start', id: open.id, toolName: open.name };
      }
      const argumentsDelta = toolCall.function?.arguments;
      if (open && argumentsDelta) {
        open.input += argumentsDelta;
        yield { type: 'tool-input-delta', id: open.id, delta: argumentsDelta };
      }
    }

    if (choice.finish_reason) finishReason = mapOpenAIFinishReason(choice.finish_reason);
  }

  if (!finishReason) throw upstreamTransportError(context.provider, 'malformed', 'stream ended before the answer finished');
  if (reasoningOpen) yield { type: 'reasoning-end', id: REASONING_ID };
  if (textOpen) yield { type: 'text-end', id: TEXT_ID };
  for (const call of toolCalls.values()) {
    yield { type: 'tool-input-end', id: call.id };
    yield { type: 'tool-call', toolCallId: call.id, toolName: call.name, input: call.input };
  }
  yield { type: 'finish', finishReason, usage };
}
