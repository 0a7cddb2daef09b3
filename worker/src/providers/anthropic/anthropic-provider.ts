import type { ChatProvider, ChatResult, GatewayError, ProviderCall, ProviderConfig, StreamPart } from '@ailb/shared';
import Anthropic, { APIUserAbortError, type ClientOptions } from '@anthropic-ai/sdk';
import type { RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';
import { convertAnthropicStreamParts } from './anthropic-stream-parts.js';
import { convertFromAnthropicMessage } from './convert-from-anthropic-message.js';
import { convertToAnthropicRequest } from './convert-to-anthropic-request.js';
import { ConnectionPools } from '../connection-pools.js';
import { mapAnthropicError } from './map-anthropic-error.js';

/**
 * The SDK's per-request timeout. AILB's deadline reaches the SDK through each call's signal; this only
 * bounds a silent connection. Setting it explicitly also stops the SDK from refusing non-streaming
 * calls whose max_tokens it guesses would take longer than ten minutes.
 */
const CLIENT_TIMEOUT_MS = 10 * 60 * 1000;

/**
 * A {@link ChatProvider} for one Anthropic deployment, through the official SDK's Messages API.
 * Conversion lives in small pure helpers beside this class; this class only does the I/O.
 */
export class AnthropicProvider implements ChatProvider {
  readonly id: string;
  private readonly config: ProviderConfig;
  private readonly client: Anthropic;
  // undici's fetch over pools of this deployment's own, one per connect timeout in use.
  private readonly pools = new ConnectionPools({ keepAliveTimeout: 30_000, connections: 256 });

  /**
   * @param config - The deployment: `api_key` (else the SDK reads `ANTHROPIC_API_KEY`), `base_url`
   *   (else the SDK's default, `https://api.anthropic.com`) and `default_max_tokens`.
   * @param clientOverrides - SDK client options for tests (e.g. a short `timeout`).
   */
  constructor(config: ProviderConfig, clientOverrides: Partial<ClientOptions> = {}) {
    this.id = config.id;
    this.config = config;
    this.client = new Anthropic({
      fetch: this.pools.fetch,
      apiKey: config.api_key,
      baseURL: config.base_url,
      // The worker decides whether and where to retry (possibly on another deployment); SDK retries
      // would hide failures from health tracking and spend the deadline twice.
      maxRetries: 0,
      timeout: CLIENT_TIMEOUT_MS,
      ...clientOverrides,
    });
  }

  async generate(call: ProviderCall): Promise<ChatResult> {
    try {
      const { body, warnings } = convertToAnthropicRequest(call.call, call.model, this.config);
      const message = await this.client.messages.create({ ...body, stream: false }, this.requestOptions(call));
      return convertFromAnthropicMessage(message, warnings);
    } catch (error) {
      throw this.mapError(error, call.signal);
    }
  }

  async *stream(call: ProviderCall): AsyncGenerator<StreamPart> {
    try {
      const { body, warnings } = convertToAnthropicRequest(call.call, call.model, this.config);
      const events = await this.client.messages.create({ ...body, stream: true }, this.requestOptions(call));
      yield* convertAnthropicStreamParts(failOnAbort(events, call.signal), this.id, warnings);
    } catch (error) {
      throw this.mapError(error, call.signal);
    }
  }

  async listModels(signal: AbortSignal): Promise<string[]> {
    try {
      const ids: string[] = [];
      // Iterating the page promise follows `has_more` through every page.
      for await (const model of this.client.models.list({ limit: 1000 }, { signal })) ids.push(model.id);
      return ids;
    } catch (error) {
      throw this.mapError(error, signal);
    }
  }

  /** Releases this deployment's connection pools. Idempotent. */
  async close(): Promise<void> {
    await this.pools.close();
  }

  /** Per call: the abort signal, and the pool whose connect timeout the target asks for. */
  private requestOptions(call: ProviderCall): { signal: AbortSignal; fetchOptions: NonNullable<ClientOptions['fetchOptions']> } {
    return { signal: call.signal, fetchOptions: this.pools.requestInit<NonNullable<ClientOptions['fetchOptions']>>(call.connectTimeoutMs) };
  }

  private mapError(error: unknown, signal: AbortSignal): GatewayError {
    return mapAnthropicError(error, { provider: this.id, apiKey: this.config.api_key, signal });
  }
}

/**
 * Passes events through, then throws if the signal fired: the SDK ends a stream quietly when it is
 * aborted, which would otherwise look like an upstream stream that stopped short.
 */
async function* failOnAbort(
  events: AsyncIterable<RawMessageStreamEvent>,
  signal: AbortSignal,
): AsyncGenerator<RawMessageStreamEvent> {
  yield* events;
  if (signal.aborted) throw new APIUserAbortError();
}
