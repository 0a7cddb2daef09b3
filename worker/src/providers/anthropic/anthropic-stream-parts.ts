import { upstreamTransportError, type StreamPart } from '@ailb/shared';
import type { RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';
import { convertAnthropicUsage, type AnthropicTokenCounts } from './convert-anthropic-usage.js';
import { mapAnthropicStopReason } from './map-anthropic-stop-reason.js';

/**
 * Converts Anthropic's raw stream events into AILB stream parts.
 *
 * - `message_start` gives the response id, model and input usage;
 * - text blocks become `text-delta`s; `tool_use` blocks become `tool-call-start` and
 *   `tool-call-delta`s, numbered 0, 1, ... among tool blocks only (as OpenAI numbers tool calls),
 *   while Anthropic's block index also counts text and thinking blocks;
 * - `message_delta` carries the stop reason and cumulative usage; `message_stop` ends the answer.
 *
 * A stream that ends after a stop reason but without `message_stop` is finished anyway: the answer
 * is complete and only the terminator was lost. One that ends before any stop reason is truncated
 * and throws, so a cut-off answer is never passed off as a finished one.
 */
export async function* convertAnthropicStreamParts(
  events: AsyncIterable<RawMessageStreamEvent>,
  provider: string,
): AsyncGenerator<StreamPart> {
  let counts: AnthropicTokenCounts | null = null;
  let stopReason: string | null = null;
  let finished = false;
  let nextToolIndex = 0;
  /** Anthropic content-block index → OpenAI tool-call index, for tool_use blocks only. */
  const toolIndexByBlock = new Map<number, number>();

  for await (const event of events) {
    // Anything after message_stop is not part of the answer; drain it so the connection ends cleanly.
    if (finished) continue;
    switch (event.type) {
      case 'message_start':
        counts = { ...event.message.usage };
        yield { type: 'response-metadata', id: event.message.id, model: event.message.model };
        break;
      case 'content_block_start': {
        const block = event.content_block;
        if (block.type === 'text' && block.text !== '') {
          yield { type: 'text-delta', delta: block.text };
        } else if (block.type === 'tool_use') {
          const index = nextToolIndex++;
          toolIndexByBlock.set(event.index, index);
          yield { type: 'tool-call-start', index, id: block.id, name: block.name };
        }
        // Thinking and server-tool blocks have no OpenAI equivalent and are left out.
        break;
      }
      case 'content_block_delta': {
        const delta = event.delta;
        if (delta.type === 'text_delta' && delta.text !== '') {
          yield { type: 'text-delta', delta: delta.text };
        } else if (delta.type === 'input_json_delta' && delta.partial_json !== '') {
          const index = toolIndexByBlock.get(event.index);
          if (index !== undefined) yield { type: 'tool-call-delta', index, argumentsDelta: delta.partial_json };
        }
        break;
      }
      case 'message_delta':
        stopReason = event.delta.stop_reason ?? stopReason;
        counts = mergeCounts(counts, event.usage);
        break;
      case 'message_stop':
        finished = true;
        yield finishPart(stopReason, counts);
        break;
      default:
        // content_block_stop, and event types Anthropic adds later, change nothing here.
        break;
    }
  }

  if (finished) return;
  if (stopReason === null) {
    throw upstreamTransportError(provider, 'malformed', 'stream ended before the answer finished');
  }
  yield finishPart(stopReason, counts);
}

function finishPart(stopReason: string | null, counts: AnthropicTokenCounts | null): StreamPart {
  return {
    type: 'finish',
    finishReason: mapAnthropicStopReason(stopReason),
    usage: counts === null ? null : convertAnthropicUsage(counts),
  };
}

/**
 * Applies a `message_delta`'s usage. Its counts are cumulative totals, not increments, so each one
 * present replaces the earlier value; absent (null) ones keep what `message_start` reported.
 */
function mergeCounts(previous: AnthropicTokenCounts | null, update: AnthropicTokenCounts): AnthropicTokenCounts {
  const merged: AnthropicTokenCounts = { ...previous };
  if (update.input_tokens != null) merged.input_tokens = update.input_tokens;
  if (update.output_tokens != null) merged.output_tokens = update.output_tokens;
  if (update.cache_creation_input_tokens != null) merged.cache_creation_input_tokens = update.cache_creation_input_tokens;
  if (update.cache_read_input_tokens != null) merged.cache_read_input_tokens = update.cache_read_input_tokens;
  return merged;
}
