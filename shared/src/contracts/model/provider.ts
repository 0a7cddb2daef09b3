import type { ChatRequestBody } from '../openai/chat-request.schema.js';
import type { ProviderConfig } from '../config/config.schema.js';
import type { ChatResult } from './chat-result.js';
import type { StreamPart } from './stream-part.js';

/** One call to one provider deployment. */
export interface ProviderCall {
  /** The upstream model name to send (already resolved from the public name by the routing plan). */
  model: string;
  /** The validated OpenAI-shaped request, without AILB's extension fields. */
  request: ChatRequestBody;
  /** Aborted when the client goes away or the deadline passes; adapters must pass it to their I/O. */
  signal: AbortSignal;
  /** Longest wait for the TCP/TLS connection to the provider, when the target sets one. */
  connectTimeoutMs?: number | undefined;
}

/**
 * The provider contract. Adapters convert to and from the provider's wire format and throw only
 * `GatewayError`s (use `upstreamError` for HTTP/transport failures) so the worker can classify them.
 */
export interface ChatProvider {
  /** The deployment id from configuration (e.g. `openai-main`). */
  readonly id: string;
  /** A non-streaming completion. */
  generate(call: ProviderCall): Promise<ChatResult>;
  /**
   * A streaming completion. The iterable ends after exactly one `finish` part; a stream that breaks
   * throws instead of ending early.
   */
  stream(call: ProviderCall): AsyncIterable<StreamPart>;
  /** Models the deployment serves, asked of the provider itself (used when config lists none). */
  listModels(signal: AbortSignal): Promise<string[]>;
  /** Releases sockets and timers. Idempotent. */
  close?(): Promise<void>;
}

/** Creates an adapter for one configured deployment. */
export type ChatProviderFactory = (config: ProviderConfig) => ChatProvider;
