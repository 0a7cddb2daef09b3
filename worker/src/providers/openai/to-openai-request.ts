import type { ChatRequestBody } from '@ailb/shared';
import type {
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionCreateParamsStreaming,
} from 'openai/resources/chat/completions';

/** Fields AILB sets itself rather than forwarding what the client sent. */
const FIELDS_SET_BY_AILB = new Set(['model', 'stream', 'stream_options']);

/** The client's fields minus the ones AILB sets, without `undefined`/`null` values. */
function forwardedFields(request: ChatRequestBody): Record<string, unknown> {
  // null means "use the default" in OpenAI's API; dropping it keeps strict compatible servers happy.
  return Object.fromEntries(
    Object.entries(request).filter(([key, value]) => !FIELDS_SET_BY_AILB.has(key) && value !== undefined && value !== null),
  );
}

/**
 * Builds a non-streaming Chat Completions request: the client's fields as they are, with `model`
 * replaced by the upstream model. `stream` is dropped because the gateway, not the client body, decides.
 */
export function toOpenAIRequest(request: ChatRequestBody, model: string): ChatCompletionCreateParamsNonStreaming {
  // The body was validated against OpenAI's own schema at the edge; the SDK's types are narrower only
  // where AILB accepts a superset that compatible servers understand.
  return { ...forwardedFields(request), model } as unknown as ChatCompletionCreateParamsNonStreaming;
}

/**
 * Builds a streaming request. `include_usage` is always asked for so the worker records real usage;
 * whether the client sees it is the gateway's decision.
 */
export function toOpenAIStreamRequest(request: ChatRequestBody, model: string): ChatCompletionCreateParamsStreaming {
  return {
    ...forwardedFields(request),
    model,
    stream: true,
    stream_options: { include_usage: true },
  } as unknown as ChatCompletionCreateParamsStreaming;
}
