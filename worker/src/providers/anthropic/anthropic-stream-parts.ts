import { upstreamTransportError, type CallWarning, type StreamPart } from '@ailb/shared';
import type { RawContentBlockStartEvent, RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';
import { convertAnthropicUsage, type AnthropicTokenCounts } from './convert-anthropic-usage.js';
import { mapAnthropicStopReason } from './map-anthropic-stop-reason.js';

/** A content block that has started and not yet stopped, with what its end part needs. */
type OpenBlock =
  | { kind: 'text'; id: string }
  | { kind: 'reasoning'; id: string; signature: string; redactedData?: string }
  | { kind: 'tool'; id: string; toolName: string; input: string };

/**
 * Converts Anthropic's raw stream events into spec stream parts.
 *
 * - `stream-start` (with the request conversion's warnings) comes first, before any event;
 * - `message_start` gives the response id, model and input usage;
 * - each content block becomes a block of parts: text and thinking blocks are identified by
 *   Anthropic's block index, tool blocks by their tool call id; a thinking block's signature arrives
 *   in deltas and is put on its `reasoning-end`, and a tool block ends with the whole `tool-call`;
 * - `message_delta` carries the stop reason and cumulative usage; `message_stop` ends the answer.
 *
 * A stream that ends after a stop reason but without `message_stop` is finished anyway (closing any
 * block left open): the answer is complete and only the terminators were lost. One that ends before
 * any stop reason is truncated and throws, so a cut-off answer is never passed off as a finished one.
 */
export async function* convertAnthropicStreamParts(
  events: AsyncIterable<RawMessageStreamEvent>,
  provider: string,
  warnings: readonly CallWarning[] = [],
): AsyncGenerator<StreamPart> {
  let counts: AnthropicTokenCounts | null = null;
  let stopReason: string | null = null;
  let finished = false;
  /** Anthropic content-block index → the block's state, while it is open. */
  const openBlocks = new Map<number, OpenBlock>();

  yield { type: 'stream-start', warnings: [...warnings] };
  for await (const event of events) {
    // Anything after message_stop is not part of the answer; drain it so the connection ends cleanly.
    if (finished) continue;
    switch (event.type) {
      case 'message_start':
        counts = { ...event.message.usage };
        yield { type: 'response-metadata', id: event.message.id, modelId: event.message.model };
        break;
      case 'content_block_start': {
        const opened = openBlock(event);
        if (opened === undefined) break;
        openBlocks.set(event.index, opened.block);
        yield* opened.parts;
        break;
      }
      case 'content_block_delta': {
        const block = openBlocks.get(event.index);
        if (block !== undefined) yield* applyDelta(block, event.delta);
        break;
      }
      case 'content_block_stop': {
        const block = openBlocks.get(event.index);
        openBlocks.delete(event.index);
        if (block !== undefined) yield* closeBlock(block);
        break;
      }
      case 'message_delta':
        stopReason = event.delta.stop_reason ?? stopReason;
        counts = mergeCounts(counts, event.usage);
        break;
      case 'message_stop':
        finished = true;
        yield* closeAll(openBlocks);
        yield finishPart(stopReason, counts);
        break;
      default:
        // Event types Anthropic adds later change nothing here.
        break;
    }
  }

  if (finished) return;
  if (stopReason === null) {
    throw upstreamTransportError(provider, 'malformed', 'stream ended before the answer finished');
  }
  yield* closeAll(openBlocks);
  yield finishPart(stopReason, counts);
}

/**
 * The state and opening parts of a block. Server-tool blocks have no place in the spec and are not
 * opened, so their deltas and stop are ignored too.
 */
function openBlock(event: RawContentBlockStartEvent): { block: OpenBlock; parts: StreamPart[] } | undefined {
  const block = event.content_block;
  const id = String(event.index);
  switch (block.type) {
    case 'text': {
      const parts: StreamPart[] = [{ type: 'text-start', id }];
      if (block.text !== '') parts.push({ type: 'text-delta', id, delta: block.text });
      return { block: { kind: 'text', id }, parts };
    }
    case 'thinking': {
      const parts: StreamPart[] = [{ type: 'reasoning-start', id }];
      if (block.thinking !== '') parts.push({ type: 'reasoning-delta', id, delta: block.thinking });
      return { block: { kind: 'reasoning', id, signature: block.signature }, parts };
    }
    case 'redacted_thinking':
      return { block: { kind: 'reasoning', id, signature: '', redactedData: block.data }, parts: [{ type: 'reasoning-start', id }] };
    case 'tool_use':
      // The start event's `input` is always empty: the arguments arrive as JSON text in deltas.
      return {
        block: { kind: 'tool', id: block.id, toolName: block.name, input: '' },
        parts: [{ type: 'tool-input-start', id: block.id, toolName: block.name }],
      };
    default:
      return undefined;
  }
}

/** The parts a delta adds to its block; a delta that does not belong to the block's kind is ignored. */
function applyDelta(block: OpenBlock, delta: Extract<RawMessageStreamEvent, { type: 'content_block_delta' }>['delta']): StreamPart[] {
  if (block.kind === 'text' && delta.type === 'text_delta' && delta.text !== '') {
    return [{ type: 'text-delta', id: block.id, delta: delta.text }];
  }
  if (block.kind === 'reasoning' && delta.type === 'thinking_delta' && delta.thinking !== '') {
    return [{ type: 'reasoning-delta', id: block.id, delta: delta.thinking }];
  }
  if (block.kind === 'reasoning' && delta.type === 'signature_delta') {
    block.signature += delta.signature;
  } else if (block.kind === 'tool' && delta.type === 'input_json_delta' && delta.partial_json !== '') {
    block.input += delta.partial_json;
    return [{ type: 'tool-input-delta', id: block.id, delta: delta.partial_json }];
  }
  // Citations have no place in the spec.
  return [];
}

/** The parts that end a block: its `*-end`, and for a tool block the complete call. */
function closeBlock(block: OpenBlock): StreamPart[] {
  switch (block.kind) {
    case 'text':
      return [{ type: 'text-end', id: block.id }];
    case 'reasoning': {
      // What Anthropic needs to take the block back in a later turn; plain reasoning has nothing to keep.
      let anthropic: Record<string, unknown> | undefined;
      if (block.redactedData !== undefined) anthropic = { redactedData: block.redactedData };
      else if (block.signature !== '') anthropic = { signature: block.signature };
      if (anthropic === undefined) return [{ type: 'reasoning-end', id: block.id }];
      return [{ type: 'reasoning-end', id: block.id, providerMetadata: { anthropic } }];
    }
    case 'tool':
      return [
        { type: 'tool-input-end', id: block.id },
        // A tool called without arguments streams no JSON at all.
        { type: 'tool-call', toolCallId: block.id, toolName: block.toolName, input: block.input === '' ? '{}' : block.input },
      ];
  }
}

/** Closes every block still open, in the order they started, so the stream stays well-formed. */
function closeAll(openBlocks: Map<number, OpenBlock>): StreamPart[] {
  // A Map iterates in insertion order, which is the order the blocks started.
  const parts = [...openBlocks.values()].flatMap(closeBlock);
  openBlocks.clear();
  return parts;
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
