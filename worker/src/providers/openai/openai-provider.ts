import OpenAI, { type ClientOptions } from 'openai';
import type { ChatProvider, ChatResult, ProviderCall, ProviderConfig, StreamPart } from '@ailb/shared';
import { ConnectionPools } from '../connection-pools.js';
import { mapOpenAIError } from './map-openai-error.js';
import { toOpenAIChatResult } from './openai-chat-result.js';
import { toOpenAIStreamParts } from './openai-stream-parts.js';
import { toOpenAIRequest } from './to-openai-request.js';
import type { ChatCompletionCreateParamsNonStreaming, ChatCompletionCreateParamsStreaming } from 'openai/resources/chat/completions';

/** The SDK's own default, passed explicitly so `OPENAI_BASE_URL` in the environment cannot redirect a deployment. */
export const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';

/** Tuning for one OpenAI adapter; production uses the defaults. */
export interface OpenAIProviderOptions {
  /**
   * Milliseconds the SDK waits for a response before reporting `upstream_timeout`.
   * @defaultValue the SDK's 10 minutes; the call's signal (the job deadline) normally ends a call first.
   */
  timeoutMs?: number;
}

/**
 * Creates the adapter for an OpenAI deployment or any OpenAI-compatible server (`base_url`). It uses
 * the official SDK with retries off: the worker's execution plan decides about retries and failover.
 */
export function createOpenAIProvider(config: ProviderConfig, options: OpenAIProviderOptions = {}): ChatProvider {
  // Keep-alive pools of this deployment's own: undici's fetch measured ~25% faster per call than
  // Node's global fetch, and close() releases exactly this deployment's sockets.
  const pools = new ConnectionPools({ keepAliveTimeout: 30_000, connections: 256 });
  const requestOptions = (call: ProviderCall) => ({ signal: call.signal, fetchOptions: pools.requestInit<NonNullable<ClientOptions['fetchOptions']>>(call.connectTimeoutMs) });
  const client = new OpenAI({
    fetch: pools.fetch,
    // Configuration requires a key for type openai; the placeholder only stops the SDK from reading
    // OPENAI_API_KEY from the environment, which must never leak into another deployment's calls.
    apiKey: config.api_key ?? 'unused',
    baseURL: config.base_url ?? OPENAI_DEFAULT_BASE_URL,
    // Explicit nulls for the same reason: OPENAI_ORG_ID etc. belong to no particular deployment.
    organization: null,
    project: null,
    adminAPIKey: null,
    webhookSecret: null,
    maxRetries: 0,
    // The SDK logs raw bodies at some levels; AILB logs classified errors instead.
    logLevel: 'off',
    ...(options.timeoutMs === undefined ? {} : { timeout: options.timeoutMs }),
  });
  const errorContext = (signal: AbortSignal) => ({ provider: config.id, apiKey: config.api_key, signal });

  return {
    id: config.id,

    async generate(call: ProviderCall): Promise<ChatResult> {
      try {
        const response: unknown = await client.chat.completions.create(toOpenAIRequest(call.call, call.model, false) as unknown as ChatCompletionCreateParamsNonStreaming, requestOptions(call));
        return toOpenAIChatResult(response, { provider: config.id, requestedModel: call.model });
      } catch (error) {
        throw mapOpenAIError(error, errorContext(call.signal));
      }
    },

    async *stream(call: ProviderCall): AsyncGenerator<StreamPart, void, undefined> {
      try {
        const chunks = await client.chat.completions.create(toOpenAIRequest(call.call, call.model, true) as unknown as ChatCompletionCreateParamsStreaming, requestOptions(call));
        yield* toOpenAIStreamParts(chunks, { provider: config.id, requestedModel: call.model });
      } catch (error) {
        // The SDK ends a stream quietly when the signal fires, so "ended early" may really be a cancellation.
        throw mapOpenAIError(error, errorContext(call.signal));
      }
    },

    async close(): Promise<void> {
      await pools.close();
    },

    async listModels(signal: AbortSignal): Promise<string[]> {
      try {
        const ids: string[] = [];
        for await (const model of client.models.list({ signal })) ids.push(model.id);
        return ids;
      } catch (error) {
        throw mapOpenAIError(error, errorContext(signal));
      }
    },
  };
}
