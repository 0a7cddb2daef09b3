import type { FastifyBaseLogger } from 'fastify';
import type { RequestTrace, TraceStore } from '@ailb/shared';

/**
 * Keeps the routing traces worth keeping, off the response path (a trace that cannot be stored fails
 * nothing): every failure, every request whose routing was not plain (a retry, a failover, a target
 * left out), every request whose client asked (`x-ailb-trace`), and a sample of plain successes — not
 * a 15-minute key for each of thousands of identical requests a second.
 */
export class TraceRecorder {
  constructor(
    private readonly store: TraceStore,
    /** `tracing.success_sample_rate`; a config reload or UpdateConfig changes it while running. */
    public successSampleRate: number,
    private readonly random: () => number = Math.random,
  ) {}

  /** Whether a request ending this way is kept. */
  keeps(trace: Pick<RequestTrace, 'outcome' | 'excluded' | 'attempts'>, requested: boolean): boolean {
    if (requested || trace.outcome !== 'success' || trace.attempts.length !== 1 || trace.excluded.length > 0) return true;
    return this.successSampleRate > 0 && this.random() < this.successSampleRate;
  }

  record(trace: RequestTrace, log: FastifyBaseLogger): void {
    this.store.save(trace).catch((error: unknown) => log.warn({ err: error }, 'saving the routing trace failed'));
  }
}
