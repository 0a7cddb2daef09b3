/**
 * The routing decision of one chat request, kept briefly for `GET /api/routing/trace/:requestId`:
 * candidates, exclusions with reasons, and every attempt with its outcome and timing.
 */
export interface RequestTrace {
  request_id: string;
  /** The tenant the request was made for (`default` without an API key): only callers of this tenant, or the master key, may read the trace. */
  tenant: string;
  /** Id of the API key the request was made with; null without one (open gateway, master key). */
  key_id: string | null;
  /** The public model name requested. */
  model: string;
  strategy: string;
  stream: boolean;
  /** `success` or the error code the request ended with. */
  outcome: string;
  status: number;
  /** ISO-8601 UTC. */
  started_at: string;
  duration_ms: number;
  /** Every target the route offered, in the order the strategy put them. */
  candidates: Array<{ provider: string; model: string }>;
  /** Targets left out before sending, and why (`circuit_open`, `circuit_probe_in_flight`, `saturated`). */
  excluded: Array<{ provider: string; model: string; reason: string }>;
  /**
   * Each attempt: `outcome` is `success`, `continued` (it finished a stream another attempt broke off),
   * `hedged_out` (aborted: a parallel attempt answered first) or an error code — a stream that broke
   * after it started included; `status` what that code answers with (200 for the others).
   */
  attempts: Array<{ provider: string; model: string; outcome: string; status: number; duration_ms: number }>;
}

/** How long a trace is kept. */
export const TRACE_TTL_MS = 15 * 60_000;

/** Where gateways keep traces: Redis in split mode (any gateway can answer), memory when embedded. */
export interface TraceStore {
  save(trace: RequestTrace): Promise<void>;
  /** The trace of `requestId`, whatever its tenant: callers scope it (see the trace route). */
  load(requestId: string): Promise<RequestTrace | null>;
}
