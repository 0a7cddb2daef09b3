import type { PrefillBehaviour } from './chat-flow.js';
import type { ScriptedFault } from './faults.js';

/** The wire format a request used, chosen by its path (and `anthropic-version` for `GET /v1/models`). */
export type SimulatedApi = 'openai' | 'anthropic' | 'ollama';

/** Options of {@link startSimulatedProvider}. */
export interface SimulatedProviderOptions {
  /**
   * TCP port to listen on; 0 picks a free one.
   * @defaultValue 0
   */
  port?: number;
  /** @defaultValue '127.0.0.1' */
  host?: string;
  /**
   * Models every API serves; any other model name gets the API's own 404.
   * @defaultValue ['sim-small', 'sim-large']
   */
  models?: string[];
  /**
   * Delay before response headers (and so before the first token), in milliseconds.
   * @defaultValue 0
   */
  latencyMs?: number;
  /**
   * Generation pace. Streams wait `1000 / tokensPerSecond` ms between tokens; non-streaming answers
   * wait as long as the same stream would take. 0 or undefined: no delay.
   * @defaultValue undefined
   */
  tokensPerSecond?: number;
  /**
   * When set, requests must carry it as `Authorization: Bearer <key>` or `x-api-key: <key>`; others
   * get the provider's real 401 shape. Admin endpoints (`/__sim/*`) never need it.
   * @defaultValue undefined
   */
  apiKey?: string;
  /**
   * What models do with a conversation ending in an assistant message (a prefill): `continue` it,
   * `reject` it with the API's 400 (as Claude 4.6 and later do), or `ignore` it and answer anew; one
   * behaviour for every model, or one per model name. Unset (or a model not listed): Anthropic and
   * Ollama continue, OpenAI ignores.
   */
  prefill?: PrefillBehaviour | Readonly<Record<string, PrefillBehaviour>>;
  /**
   * The request log keeps at most this many records, dropping the oldest, so long benchmark runs do
   * not grow memory without bound.
   * @defaultValue 10000
   */
  maxRecords?: number;
}

/**
 * One request the provider received. Records are mutated in place while the request runs, so tests
 * can watch them through {@link SimulatedProvider.waitFor}.
 */
export interface SimulatedRequestRecord {
  /** 1-based, in arrival order since start or the last `reset()`; also names tool call ids (`call_<id>`). */
  id: number;
  api: SimulatedApi;
  /** The path without the query string. */
  path: string;
  /** The body's `model`, or null (model lists, unparseable bodies). */
  model: string | null;
  stream: boolean;
  /** The parsed JSON body; the raw text when it was not JSON; null for bodiless requests. */
  body: unknown;
  /** Request headers as received (credentials included, so tests can check what was forwarded), lower-cased. */
  headers: Record<string, string>;
  /** `Date.now()` at arrival. */
  startedAt: number;
  /** `Date.now()` when the response finished or the connection closed; null while running. */
  endedAt: number | null;
  /**
   * - `in_progress`: still running.
   * - `completed`: a response was sent in full (validation errors included; see `status`).
   * - `fault`: a fault was injected (`fault` names it); set as soon as the fault is chosen.
   * - `aborted`: the client closed the connection before the response finished. This also replaces
   *   `fault` when the client gives up on a fault that keeps the connection open (`no_response`,
   *   `stall`, `slow_first_token`); `fault` still names it.
   */
  outcome: 'in_progress' | 'completed' | 'aborted' | 'fault';
  fault: string | null;
  /** Content tokens written: stream deltas sent, or the whole answer's tokens once sent. */
  tokensSent: number;
  /** The HTTP status sent, or null when no headers were sent (reset, no_response, aborted early). */
  status: number | null;
}

/** A running simulated provider. */
export interface SimulatedProvider {
  /** e.g. `http://127.0.0.1:PORT`. OpenAI's base URL is `url + '/v1'`; Anthropic's and Ollama's are `url`. */
  readonly url: string;
  readonly port: number;
  /** Live log of API requests (admin requests are not recorded). `reset()` empties this same array. */
  readonly requests: SimulatedRequestRecord[];
  /** Queues faults for the next matching chat or embedding requests, in order. Throws on a bad fault. */
  script(faults: ScriptedFault[]): void;
  /** Clears the request log and the fault script. */
  reset(): void;
  /**
   * Resolves once `predicate(requests)` is true; rejects after `timeoutMs` (default 5000) with a
   * summary of the log.
   */
  waitFor(predicate: (records: SimulatedRequestRecord[]) => boolean, timeoutMs?: number): Promise<void>;
  /** Stops listening and destroys open sockets, stalled streams included. Idempotent. */
  close(): Promise<void>;
}
