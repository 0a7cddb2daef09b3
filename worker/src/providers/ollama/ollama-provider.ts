import { request, type Dispatcher } from 'undici';
import { ConnectionPools } from '../connection-pools.js';
import type { ChatProvider, ChatResult, ProviderCall, ProviderConfig, StreamPart } from '@ailb/shared';
import { mapOllamaError, ollamaHttpError } from './map-ollama-error.js';
import { toOllamaChatResult } from './ollama-chat-result.js';
import { parseNdjson } from './ollama-ndjson.js';
import { toOllamaStreamParts } from './ollama-stream-parts.js';
import { toOllamaRequest } from './to-ollama-request.js';

/** Tuning for one Ollama adapter; production uses the defaults. */
export interface OllamaProviderOptions {
  /**
   * Milliseconds to wait for the response headers (Ollama sends them only once the model is loaded).
   * @defaultValue undici's 300 000; the call's signal (the job deadline) normally ends a call first.
   */
  headersTimeoutMs?: number;
  /**
   * Milliseconds allowed between two body chunks.
   * @defaultValue undici's 300 000
   */
  bodyTimeoutMs?: number;
}

/** Ollama's model list (GET /api/tags), as far as AILB reads it. */
interface OllamaTags {
  models?: Array<{ name?: unknown } | null> | null;
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Creates the adapter for an Ollama server, talking to its native API (/api/chat, /api/tags) over a
 * connection pool of its own, released by `close()`.
 */
export function createOllamaProvider(config: ProviderConfig, options: OllamaProviderOptions = {}): ChatProvider {
  if (!config.base_url) throw new Error(`Provider ${config.id}: base_url is required for type ollama`);
  const baseUrl = config.base_url.replace(/\/+$/, '');
  const provider = config.id;
  const pools = new ConnectionPools({
    ...(options.headersTimeoutMs === undefined ? {} : { headersTimeout: options.headersTimeoutMs }),
    ...(options.bodyTimeoutMs === undefined ? {} : { bodyTimeout: options.bodyTimeoutMs }),
  });
  let closing: Promise<void> | undefined;

  /** Sends one request; a non-2xx answer is read and thrown as a classified upstream error. */
  async function send(path: string, signal: AbortSignal, body?: unknown, connectTimeoutMs?: number): Promise<Dispatcher.ResponseData> {
    const response = await request(`${baseUrl}${path}`, {
      dispatcher: pools.get(connectTimeoutMs),
      method: body === undefined ? 'GET' : 'POST',
      signal,
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    if (response.statusCode >= 200 && response.statusCode < 300) return response;
    const text = await response.body.text().catch(() => '');
    throw ollamaHttpError(provider, response.statusCode, text, headerValue(response.headers['retry-after']));
  }

  return {
    id: provider,

    async generate(call: ProviderCall): Promise<ChatResult> {
      try {
        const { body, warnings } = toOllamaRequest(call.call, call.model, false);
        const response = await send('/api/chat', call.signal, body, call.connectTimeoutMs);
        return toOllamaChatResult(await response.body.json(), { provider, requestedModel: call.model }, warnings);
      } catch (error) {
        throw mapOllamaError(error, { provider, signal: call.signal });
      }
    },

    async *stream(call: ProviderCall): AsyncGenerator<StreamPart, void, undefined> {
      try {
        const { body, warnings } = toOllamaRequest(call.call, call.model, true);
        const response = await send('/api/chat', call.signal, body, call.connectTimeoutMs);
        // Returning early (done line, or the consumer stopping) ends the body iteration, which destroys it.
        yield* toOllamaStreamParts(parseNdjson(response.body, provider, call.onMalformedEvent), { provider, requestedModel: call.model }, warnings);
      } catch (error) {
        throw mapOllamaError(error, { provider, signal: call.signal });
      }
    },

    async listModels(signal: AbortSignal): Promise<string[]> {
      try {
        const response = await send('/api/tags', signal);
        const tags = (await response.body.json()) as OllamaTags | null;
        const models = Array.isArray(tags?.models) ? tags.models : [];
        return models.flatMap((model) => (typeof model?.name === 'string' ? [model.name] : []));
      } catch (error) {
        throw mapOllamaError(error, { provider, signal });
      }
    },

    close(): Promise<void> {
      // The worker drains calls before closing providers; whatever still runs is abandoned rather than
      // awaited, so a stuck stream cannot hold up shutdown.
      closing ??= pools.close();
      return closing;
    },
  };
}
