import { GatewayError, upstreamTransportError, type ChatProvider, type ChatResult, type ProviderCall, type ProviderConfig, type StreamPart } from '@ailb/shared';
import { request, type Dispatcher } from 'undici';
import { ConnectionPools } from '../connection-pools.js';
import { anthropicAcceptsPrefill } from './anthropic-prefill.js';
import { readAnthropicEvents } from './anthropic-sse.js';
import { convertAnthropicStreamParts } from './anthropic-stream-parts.js';
import { convertFromAnthropicMessage, type AnthropicMessageResponse } from './convert-from-anthropic-message.js';
import { convertToAnthropicRequest } from './convert-to-anthropic-request.js';
import { anthropicHttpError, mapAnthropicError, type AnthropicErrorContext } from './map-anthropic-error.js';

/** Anthropic's API, when a deployment names no `base_url`. */
export const ANTHROPIC_DEFAULT_BASE_URL = 'https://api.anthropic.com';

/**
 * The `anthropic-version` sent with every request: the one `@anthropic-ai/sdk` 1.x sends, which this
 * adapter used before it spoke HTTP itself, so Anthropic keeps reading requests and answering as before.
 * The version decides what Anthropic accepts: 2026-10-21 removed `temperature`, `top_p` and `top_k`,
 * which 2023-06-01 still takes.
 */
export const ANTHROPIC_VERSION = '2026-10-21';

/** Tuning for one Anthropic adapter; production uses the defaults. */
export interface AnthropicProviderOptions {
  /**
   * Longest wait for the response headers, and between two body chunks, in milliseconds.
   * @defaultValue 10 minutes, the SDK's timeout; the job's deadline normally ends a call first.
   */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10 * 60 * 1000;

/** A page of `GET /v1/models`, as far as AILB reads it. */
interface AnthropicModelsPage {
  data?: Array<{ id?: unknown } | null> | null;
  has_more?: unknown;
  last_id?: unknown;
}

/**
 * A {@link ChatProvider} for one Anthropic deployment, speaking the Messages API over undici
 * `request()` on keep-alive pools of its own. Through the official SDK (over fetch) a call cost
 * 0.88 ms CPU (1.00 ms per stream of ten deltas) against 0.23 ms (0.35 ms) for this path, so the hot
 * path speaks HTTP itself, keeping the SDK's wire behaviour: the same URLs, headers and JSON body,
 * errors read from the same fields (`map-anthropic-error.ts`), SSE read the same way
 * (`anthropic-sse.ts`). No retries: the worker decides whether and where to retry (possibly on another
 * deployment). Conversion lives in small pure helpers beside this class; this class only does the I/O.
 */
export class AnthropicProvider implements ChatProvider {
  readonly id: string;
  private readonly config: ProviderConfig;
  private readonly pools = new ConnectionPools({ keepAliveTimeout: 30_000, connections: 256 });
  private readonly messagesUrl: string;
  private readonly modelsUrl: string;
  /** Built once: undici copies them into each request. Undefined when there is no key to send. */
  private readonly getHeaders: Readonly<Record<string, string>> | undefined;
  private readonly postHeaders: Readonly<Record<string, string>> | undefined;
  private readonly timeoutMs: number;
  private readonly errorContext: AnthropicErrorContext;

  /**
   * @param config - The deployment: `api_key` (required by configuration; never read from the
   *   environment here, where it would leak into every deployment), `base_url` (else {@link ANTHROPIC_DEFAULT_BASE_URL}; `/v1/...` is appended, as the SDK did) and
   *   `default_max_tokens`.
   * @param options - Timeouts, for tests.
   */
  constructor(config: ProviderConfig, options: AnthropicProviderOptions = {}) {
    this.id = config.id;
    this.config = config;
    const baseUrl = config.base_url ?? ANTHROPIC_DEFAULT_BASE_URL;
    // The SDK joined base URL and path dropping one slash between them, so `https://host/` works too.
    const root = baseUrl.endsWith('/') ? baseUrl.slice(0, -1) : baseUrl;
    this.messagesUrl = `${root}/v1/messages`;
    this.modelsUrl = `${root}/v1/models`;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const apiKey = config.api_key;
    this.errorContext = { provider: config.id, apiKey };
    if (apiKey !== undefined && apiKey !== '') {
      // The SDK's headers (1.x sends the key as a bearer token); its x-stainless-* telemetry is left
      // out and AILB names itself as the user agent.
      this.getHeaders = { accept: 'application/json', 'anthropic-version': ANTHROPIC_VERSION, authorization: `Bearer ${apiKey}`, 'user-agent': 'ailb' };
      this.postHeaders = { ...this.getHeaders, 'content-type': 'application/json' };
    }
  }

  async generate(call: ProviderCall): Promise<ChatResult> {
    let bodyStarted = false;
    try {
      const { body, warnings } = convertToAnthropicRequest(call.call, call.model, this.config);
      const response = await this.send(this.messagesUrl, call.signal, JSON.stringify({ ...body, stream: false }), call.connectTimeoutMs);
      bodyStarted = true;
      return convertFromAnthropicMessage(this.readMessage(await response.body.text()), warnings);
    } catch (error) {
      throw mapAnthropicError(error, { ...this.errorContext, signal: call.signal }, bodyStarted);
    }
  }

  async *stream(call: ProviderCall): AsyncGenerator<StreamPart> {
    let response: Dispatcher.ResponseData | undefined;
    try {
      const { body, warnings } = convertToAnthropicRequest(call.call, call.model, this.config);
      response = await this.send(this.messagesUrl, call.signal, JSON.stringify({ ...body, stream: true }), call.connectTimeoutMs);
      // An abort mid-stream destroys the body with undici's abort error, which maps to a cancellation.
      yield* convertAnthropicStreamParts(readAnthropicEvents(response.body, this.errorContext, call.onMalformedEvent), this.id, warnings);
    } catch (error) {
      throw mapAnthropicError(error, { ...this.errorContext, signal: call.signal }, response !== undefined);
    } finally {
      // When the consumer stops early or the stream failed, the rest of the body is not wanted: free the socket.
      if (response !== undefined && !response.body.readableEnded && !response.body.destroyed) response.body.destroy();
    }
  }

  acceptsPrefill(model: string): boolean {
    return anthropicAcceptsPrefill(model);
  }

  async listModels(signal: AbortSignal): Promise<string[]> {
    try {
      const ids: string[] = [];
      let afterId: string | undefined;
      for (;;) {
        const query = afterId === undefined ? 'limit=1000' : `limit=1000&after_id=${encodeURIComponent(afterId)}`;
        const response = await this.send(`${this.modelsUrl}?${query}`, signal);
        const page = JSON.parse(await response.body.text()) as AnthropicModelsPage | null;
        const models = Array.isArray(page?.data) ? page.data : [];
        for (const model of models) if (typeof model?.id === 'string') ids.push(model.id);
        // The SDK's pagination: the next page starts after this one's last id, while `has_more` says
        // there is one; a page without items or a cursor ends it (so does a cursor that does not move).
        const lastId = page?.last_id;
        if (!page?.has_more || models.length === 0 || typeof lastId !== 'string' || lastId === '' || lastId === afterId) return ids;
        afterId = lastId;
      }
    } catch (error) {
      throw mapAnthropicError(error, { ...this.errorContext, signal });
    }
  }

  /** Releases this deployment's connection pools. Idempotent. */
  async close(): Promise<void> {
    await this.pools.close();
  }

  /**
   * Sends one request (a POST with `body`, else a GET); a non-2xx answer is read whole and thrown as a
   * classified upstream error.
   */
  private async send(url: string, signal: AbortSignal, body?: string, connectTimeoutMs?: number): Promise<Dispatcher.ResponseData> {
    const headers = body === undefined ? this.getHeaders : this.postHeaders;
    if (headers === undefined) {
      // The SDK refused to send a request it had no credential for; so does this adapter.
      throw new GatewayError('internal_error', `Provider ${this.id} has no API key: set its api_key.`, { provider: this.id });
    }
    const response = await request(url, {
      method: body === undefined ? 'GET' : 'POST',
      headers,
      body,
      signal,
      dispatcher: this.pools.get(connectTimeoutMs),
      headersTimeout: this.timeoutMs,
      bodyTimeout: this.timeoutMs,
    });
    if (response.statusCode >= 200 && response.statusCode < 300) return response;
    // A body cut short still leaves the status to classify by.
    const text = await response.body.text().catch(() => '');
    throw anthropicHttpError(this.errorContext, response.statusCode, text, response.headers);
  }

  /** Parses a non-streaming answer; JSON that is not a message is as unusable as text that is not JSON. */
  private readMessage(text: string): AnthropicMessageResponse {
    const message = JSON.parse(text) as Partial<AnthropicMessageResponse> | null;
    if (typeof message !== 'object' || message === null || !Array.isArray(message.content)) {
      throw upstreamTransportError(this.id, 'malformed', 'the response is not an Anthropic message', [this.errorContext.apiKey]);
    }
    return message as AnthropicMessageResponse;
  }
}
