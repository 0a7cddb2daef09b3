/**
 * The faults the simulated provider can inject. Each one is rendered in the wire format of the API the
 * request used, so an adapter sees exactly what the real provider would send.
 *
 * | name               | effect                                                                         |
 * |--------------------|--------------------------------------------------------------------------------|
 * | `429`              | rate-limit error; option `retry_after` (seconds) adds a `Retry-After` header    |
 * | `500`              | server error                                                                   |
 * | `503`              | overloaded; Anthropic answers 529 `overloaded_error` when option `overloaded=1` |
 * | `reset`            | destroys the socket before any response byte                                   |
 * | `no_response`      | reads the request and never answers (until the client leaves or `close()`)     |
 * | `slow_first_token` | sends headers, then waits option `delay` ms (default 5000) before the body     |
 * | `cut`              | stream: `after` tokens (default 3) then socket destroyed; non-stream: half body |
 * | `stall`            | stream: `after` tokens then silence; non-stream: headers then silence          |
 * | `malformed`        | stream: `times` (default 1) invalid-JSON events after `after` tokens, then the  |
 * |                    | rest of the answer; non-stream: invalid body                                    |
 * | `no_done`          | stream ends without `[DONE]` / `message_stop` (Ollama: ends normally)          |
 * | `context_length`   | the provider's 400 "context length exceeded" error                             |
 * | `content_filter`   | the provider's 400 content-policy error                                        |
 * | `auth`             | the provider's 401                                                             |
 */
export const FAULT_NAMES = [
  '429',
  '500',
  '503',
  'reset',
  'no_response',
  'slow_first_token',
  'cut',
  'stall',
  'malformed',
  'no_done',
  'context_length',
  'content_filter',
  'auth',
] as const;

/** One of {@link FAULT_NAMES}. */
export type FaultName = (typeof FAULT_NAMES)[number];

/** Faults answered with an ordinary HTTP error response in the API's own error envelope. */
export type ErrorFaultName = '429' | '500' | '503' | 'context_length' | 'content_filter' | 'auth';

const ERROR_FAULT_NAMES: ReadonlySet<string> = new Set<ErrorFaultName>([
  '429',
  '500',
  '503',
  'context_length',
  'content_filter',
  'auth',
]);

/** Options a fault reads: `after`, `delay`, `retry_after`, `overloaded`, `times` (unknown keys are ignored). */
export type FaultOptions = Record<string, number | string>;

/** A fault queued with `script()` or `POST /__sim/script`. */
export interface ScriptedFault {
  fault: FaultName;
  /**
   * How many matching requests receive the fault.
   * @defaultValue 1
   */
  count?: number;
  /** When set, only requests for this model match (Ollama's `:latest` suffix is ignored). */
  model?: string;
  /** Fault options, e.g. `{ after: 2 }` or `{ retry_after: 7 }`. */
  options?: FaultOptions;
}

/** The fault chosen for one request, from a directive or the script. */
export interface ActiveFault {
  name: FaultName;
  options: FaultOptions;
}

export function isFaultName(value: unknown): value is FaultName {
  return typeof value === 'string' && (FAULT_NAMES as readonly string[]).includes(value);
}

export function isErrorFault(name: FaultName): name is ErrorFaultName {
  return ERROR_FAULT_NAMES.has(name);
}

/** Reads a numeric fault option; strings holding numbers count (directives are text). */
export function faultNumber(options: FaultOptions, key: string, fallback: number): number {
  const value = options[key];
  const parsed = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  return Number.isFinite(parsed) && parsed >= 0 ? parsed : fallback;
}

/** Reads an optional numeric fault option: `undefined` when absent or not a number. */
export function optionalFaultNumber(options: FaultOptions, key: string): number | undefined {
  const value = faultNumber(options, key, -1);
  return value < 0 ? undefined : value;
}
