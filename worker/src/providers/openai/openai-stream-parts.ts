import { upstreamTransportError, type FinishReason, type StreamPart, type Usage } from '@ailb/shared';
import { generateToolCallId } from '../tool-call-helpers.js';
import { mapOpenAIFinishReason } from './map-openai-finish-reason.js';
import { mapOpenAIUsage, type OpenAIWireUsage } from './map-openai-usage.js';

/** One `chat.completion.chunk`, with every field optional for the same reasons as the response. */
export interface OpenAIWireChunk {
  id?: string | null;
  model?: string | null;
  choices?: Array<{
    finish_reason?: string | null;
    delta?: {
      content?: string | null;
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

/**
 * Turns OpenAI stream chunks into AILB stream parts: `response-metadata` from the first chunk, text
 * and tool-call deltas as they come, and one `finish` once the chunks end.
 *
 * `finish` is emitted at the end of the chunks rather than at the `finish_reason` chunk because the
 * usage chunk (`include_usage`) comes after it. A stream that ends without `[DONE]` but after a
 * `finish_reason` is complete; one that ends before any `finish_reason` was cut and throws
 * `upstream_malformed_response`.
 */
export async function* toOpenAIStreamParts(
  chunks: AsyncIterable<OpenAIWireChunk>,
  context: OpenAIStreamContext,
): AsyncGenerator<StreamPart, void, undefined> {
  let sawFirstChunk = false;
  let finishReason: FinishReason | undefined;
  let usage: Usage | null = null;
  const startedToolCalls = new Set<number>();

  for await (const chunk of chunks) {
    if (!sawFirstChunk) {
      sawFirstChunk = true;
      const metadata: StreamPart = { type: 'response-metadata', model: chunk.model || context.requestedModel };
      if (chunk.id) metadata.id = chunk.id;
      yield metadata;
    }
    // The usage chunk has `choices: []`; other chunks carry `usage: null`.
    if (chunk.usage) usage = mapOpenAIUsage(chunk.usage) ?? usage;

    const choice = chunk.choices?.[0];
    if (!choice) continue;
    const delta = choice.delta;
    if (delta?.content) yield { type: 'text-delta', delta: delta.content };

    const toolCalls = delta?.tool_calls ?? [];
    for (const [position, toolCall] of toolCalls.entries()) {
      // Some compatible servers leave out `index` when they send one call per chunk.
      const index = toolCall.index ?? position;
      const name = toolCall.function?.name;
      // Only the first delta of a call names it; servers that repeat the id must not restart it.
      if ((toolCall.id || name) && !startedToolCalls.has(index)) {
        startedToolCalls.add(index);
        yield { type: 'tool-call-start', index, id: toolCall.id || generateToolCallId(), name: name ?? '' };
      }
      const argumentsDelta = toolCall.function?.arguments;
      if (argumentsDelta) yield { type: 'tool-call-delta', index, argumentsDelta };
    }

    if (choice.finish_reason) finishReason = mapOpenAIFinishReason(choice.finish_reason);
  }

  if (!finishReason) {
    throw upstreamTransportError(context.provider, 'malformed', 'stream ended before the answer finished');
  }
  yield { type: 'finish', finishReason, usage };
}
