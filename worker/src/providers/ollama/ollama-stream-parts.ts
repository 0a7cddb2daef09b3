import { upstreamTransportError, type CallWarning, type StreamPart } from '@ailb/shared';
import { asOllamaResponse, mapOllamaUsage, type OllamaResultContext } from './ollama-chat-result.js';
import { mapOllamaFinishReason } from './map-ollama-finish-reason.js';
import { fromOllamaToolCall } from './ollama-tool-call.js';

/** Ollama's answer has one text block; its id only has to be unique within the stream. */
const TEXT_ID = 'text-0';

/**
 * Turns the parsed NDJSON lines of a streaming /api/chat response into spec stream parts:
 * `stream-start` with the request's warnings, `response-metadata` from the first line, the reasoning
 * block (`thinking`), the text block, each tool call as a complete tool block (Ollama sends tool calls
 * whole), and at the `done: true` line the open blocks' ends and `finish`.
 *
 * @param warnings What the request could not carry (see `toOllamaRequest`).
 * @throws GatewayError `upstream_error` for an `{error}` line, `upstream_malformed_response` when the
 * lines end without `done: true`.
 */
export async function* toOllamaStreamParts(
  lines: AsyncIterable<unknown>,
  context: OllamaResultContext,
  warnings: CallWarning[] = [],
): AsyncGenerator<StreamPart, void, undefined> {
  yield { type: 'stream-start', warnings };
  let sawFirstLine = false;
  let textOpen = false;
  /** The open reasoning block's id; a later one (thinking after text) gets a new id. */
  let reasoningId: string | undefined;
  let reasoningCount = 0;
  let toolCallCount = 0;

  for await (const line of lines) {
    const response = asOllamaResponse(line, context.provider);
    if (!sawFirstLine) {
      sawFirstLine = true;
      yield { type: 'response-metadata', modelId: response.model || context.requestedModel };
    }

    const thinking = response.message?.thinking;
    if (thinking) {
      if (reasoningId === undefined) {
        reasoningId = `reasoning-${reasoningCount}`;
        reasoningCount += 1;
        yield { type: 'reasoning-start', id: reasoningId };
      }
      yield { type: 'reasoning-delta', id: reasoningId, delta: thinking };
    }

    const content = response.message?.content;
    if (content) {
      // Thinking models think first, then answer: the answer starting ends the reasoning.
      if (reasoningId !== undefined) {
        yield { type: 'reasoning-end', id: reasoningId };
        reasoningId = undefined;
      }
      if (!textOpen) {
        textOpen = true;
        yield { type: 'text-start', id: TEXT_ID };
      }
      yield { type: 'text-delta', id: TEXT_ID, delta: content };
    }

    for (const wireToolCall of response.message?.tool_calls ?? []) {
      const toolCall = fromOllamaToolCall(wireToolCall);
      toolCallCount += 1;
      yield { type: 'tool-input-start', id: toolCall.toolCallId, toolName: toolCall.toolName };
      yield { type: 'tool-input-delta', id: toolCall.toolCallId, delta: toolCall.input };
      yield { type: 'tool-input-end', id: toolCall.toolCallId };
      yield toolCall;
    }

    if (response.done === true) {
      if (textOpen) yield { type: 'text-end', id: TEXT_ID };
      if (reasoningId !== undefined) yield { type: 'reasoning-end', id: reasoningId };
      yield {
        type: 'finish',
        finishReason: mapOllamaFinishReason(response.done_reason, toolCallCount > 0),
        usage: mapOllamaUsage(response),
      };
      return;
    }
  }
  throw upstreamTransportError(context.provider, 'malformed', 'stream ended before the answer finished');
}
