import { makeUsage, upstreamHttpError, upstreamTransportError, type ChatResult, type Usage } from '@ailb/shared';
import { mapOllamaFinishReason } from './map-ollama-finish-reason.js';
import { fromOllamaToolCall } from './ollama-tool-call.js';
import type { OllamaWireResponse } from './ollama-wire.js';

/** Where a response came from, for error messages and for bodies that omit `model`. */
export interface OllamaResultContext {
  provider: string;
  /** The model AILB asked for, used when Ollama does not name the one that answered. */
  requestedModel: string;
}

function tokenCount(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined;
}

/**
 * Usage from Ollama's evaluation counters. Ollama leaves `prompt_eval_count` out when the whole prompt
 * came from its cache, so a single missing counter is 0, but both missing means no usage was reported.
 */
export function mapOllamaUsage(response: OllamaWireResponse): Usage | null {
  const promptTokens = tokenCount(response.prompt_eval_count);
  const completionTokens = tokenCount(response.eval_count);
  if (promptTokens === undefined && completionTokens === undefined) return null;
  return makeUsage(promptTokens ?? 0, completionTokens ?? 0);
}

/** Narrows a parsed body or NDJSON line to an object, or reports the response as malformed. */
export function asOllamaResponse(value: unknown, provider: string): OllamaWireResponse {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw upstreamTransportError(provider, 'malformed', 'expected a JSON object');
  }
  const response = value as OllamaWireResponse;
  // Ollama reports failures after the status line (e.g. the model crashed mid-answer) as `{error}`.
  if (response.error !== undefined && response.error !== null) {
    throw upstreamHttpError({ provider, status: 500, message: String(response.error) });
  }
  return response;
}

/**
 * Converts a non-streaming /api/chat response into a {@link ChatResult}. Ollama sends `content: ""`
 * alongside tool calls; that becomes null as in OpenAI's answers, while a plain empty answer stays "".
 */
export function toOllamaChatResult(body: unknown, context: OllamaResultContext): ChatResult {
  const response = asOllamaResponse(body, context.provider);
  if (typeof response.message !== 'object' || response.message === null) {
    throw upstreamTransportError(context.provider, 'malformed', 'the response has no message');
  }
  const toolCalls = (response.message.tool_calls ?? []).map(fromOllamaToolCall);
  const content = response.message.content ?? '';
  return {
    model: response.model || context.requestedModel,
    content: content === '' && toolCalls.length > 0 ? null : content,
    toolCalls,
    finishReason: mapOllamaFinishReason(response.done_reason, toolCalls.length > 0),
    usage: mapOllamaUsage(response),
  };
}
