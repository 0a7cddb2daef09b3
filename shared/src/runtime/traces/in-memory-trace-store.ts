import { TRACE_TTL_MS, type RequestTrace, type TraceStore } from '../../index.js';

/** Traces for the embedded default: expiring, and bounded so a busy process cannot grow without end. */
export class InMemoryTraceStore implements TraceStore {
  private readonly traces = new Map<string, { trace: RequestTrace; expiresAt: number }>();

  constructor(private readonly maxTraces = 10_000) {}

  async save(trace: RequestTrace, now = Date.now()): Promise<void> {
    this.traces.delete(trace.request_id);
    this.traces.set(trace.request_id, { trace, expiresAt: now + TRACE_TTL_MS });
    // Maps keep insertion order: the first entries are the oldest.
    for (const requestId of this.traces.keys()) {
      if (this.traces.size <= this.maxTraces) break;
      this.traces.delete(requestId);
    }
  }

  async load(requestId: string, now = Date.now()): Promise<RequestTrace | null> {
    const entry = this.traces.get(requestId);
    if (!entry || entry.expiresAt <= now) return null;
    return entry.trace;
  }
}
