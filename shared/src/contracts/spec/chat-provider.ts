import type { ProviderConfig } from '../config/config.schema.js';
import type { ChatCall } from './chat-call.js';
import type { ChatResult } from './chat-result.js';
import type { StreamPart } from './stream-part.js';

/** One call to one provider deployment. */
export interface ProviderCall {
  /** The upstream model name to send (already resolved from the public name by the routing plan). */
  model: string;
  /** The call in the provider-neutral specification. */
  call: ChatCall;
  /** Aborted when the client goes away or a time limit passes; adapters must pass it to their I/O. */
  signal: AbortSignal;
  /** Longest wait for the TCP/TLS connection to the provider, when the target sets one. */
  connectTimeoutMs?: number | undefined;
  /**
   * Called when one stream event could not be read and was skipped (adapters skip a single malformed
   * event; a second one in a row still fails the stream). For metrics and logs.
   */
  onMalformedEvent?: (() => void) | undefined;
}

/**
 * The provider contract. An adapter encodes the spec into its provider's wire format and decodes the
 * answer back; it throws only `GatewayError`s (`upstreamHttpError` / `upstreamTransportError` for HTTP
 * and transport failures) so the worker can classify them. A `param` on an error about the call names
 * the spec location (`prompt[2].content[0].url`, `responseFormat`), which the gateway's codec turns
 * into the client's own field name.
 */
export interface ChatProvider {
  /** The deployment id from configuration (e.g. `openai-main`). */
  readonly id: string;
  /** A non-streaming completion. */
  generate(call: ProviderCall): Promise<ChatResult>;
  /**
   * A streaming completion: `stream-start`, `response-metadata`, blocks, then exactly one `finish`.
   * A stream that breaks throws instead of ending early.
   */
  stream(call: ProviderCall): AsyncIterable<StreamPart>;
  /**
   * Whether `model` continues an answer from a trailing assistant message (a prefill) rather than
   * answering anew or rejecting it; used to continue a stream another target broke off. A target's
   * `supports_prefill` overrides it. Absent: no.
   */
  acceptsPrefill?(model: string): boolean;
  /** Models the deployment serves, asked of the provider itself (used when config lists none). */
  listModels(signal: AbortSignal): Promise<string[]>;
  /** Releases sockets and timers. Idempotent. */
  close?(): Promise<void>;
}

/** Creates an adapter for one configured deployment. */
export type ChatProviderFactory = (config: ProviderConfig) => ChatProvider;
