import { upstreamTransportError, type StreamPart } from '@ailb/shared';
import { asOllamaResponse, mapOllamaUsage, type OllamaResultContext } from './ollama-chat-result.js';
import { mapOllamaFinishReason } from './map-ollama-finish-reason.js';
import { fromOllamaToolCall } from './ollama-tool-call.js';

/**
 * Turns the parsed NDJSON lines of a streaming /api/chat response into AILB stream parts:
 * `response-metadata` from the first line, text deltas, each tool call as a start plus one delta with
 * its complete arguments (Ollama sends tool calls whole), and `finish` from the `done: true` line.
 *
 * @throws GatewayError `upstream_error` for an `{error}` line, `upstream_malformed_response` when the
 * lines end without `done: true`.
 */
export async function* toOllamaStreamParts(
  lines: AsyncIterable<unknown>,
  context: OllamaResultContext,
): AsyncGenerator<StreamPart, void, undefined> {
  let sawFirstLine = false;
  let toolCallCount = 0;

  for await (const line of lines) {
    const response = asOllamaResponse(line, context.provider);
    if (!sawFirstLine) {
      sawFirstLine = true;
      yield { type: 'response-metadata', model: response.model || context.requestedModel };
    }
    const content = response.message?.content;
    if (content) yield { type: 'text-delta', delta: content };

    for (const wireToolCall of response.message?.tool_calls ?? []) {
      const toolCall = fromOllamaToolCall(wireToolCall);
      const index = toolCallCount;
      toolCallCount += 1;
      yield { type: 'tool-call-start', index, id: toolCall.id, name: toolCall.name };
      yield { type: 'tool-call-delta', index, argumentsDelta: toolCall.arguments };
    }

    if (response.done === true) {
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
