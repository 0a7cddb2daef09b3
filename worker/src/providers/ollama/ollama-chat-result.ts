import { makeUsage, upstreamHttpError, upstreamTransportError, type CallWarning, type ChatResult, type Usage } from '@ailb/shared';
import { mapOllamaFinishReason } from './map-ollama-finish-reason.js';
import { fromOllamaToolCall } from './ollama-tool-call.js';
import type { OllamaWireResponse } from './ollama-wire.js';

/** Where a response came from, for error messages and for bodies that omit `model`. */
export interface OllamaResultContext {
  /** Provider deployment id. */
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
 * Converts a non-streaming /api/chat response into a {@link ChatResult}: reasoning (when the model
 * thought aloud), then text, then tool calls. Ollama sends `content: ""` alongside tool calls; that
 * becomes no text part at all (OpenAI clients then see `content: null`), while a plain empty answer
 * stays an empty text part. Ollama has no response id, so only the model is reported.
 *
 * @param warnings What the request could not carry (see `toOllamaRequest`); attached only when any.
 */
export function toOllamaChatResult(body: unknown, context: OllamaResultContext, warnings: CallWarning[] = []): ChatResult {
  const response = asOllamaResponse(body, context.provider);
  if (typeof response.message !== 'object' || response.message === null) {
    throw upstreamTransportError(context.provider, 'malformed', 'the response has no message');
  }
  const toolCalls = (response.message.tool_calls ?? []).map(fromOllamaToolCall);
  const text = response.message.content ?? '';
  const thinking = response.message.thinking;
  const content: ChatResult['content'] = [];
  if (typeof thinking === 'string' && thinking !== '') content.push({ type: 'reasoning', text: thinking });
  if (text !== '' || toolCalls.length === 0) content.push({ type: 'text', text });
  content.push(...toolCalls);
  const result: ChatResult = {
    content,
    finishReason: mapOllamaFinishReason(response.done_reason, toolCalls.length > 0),
    usage: mapOllamaUsage(response),
    response: { modelId: response.model || context.requestedModel },
  };
  if (warnings.length > 0) result.warnings = warnings;
  return result;
}
