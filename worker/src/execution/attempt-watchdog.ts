import { GatewayError, type PlannedTarget } from '@ailb/shared';

/**
 * Enforces one attempt's time limits: total for every attempt; first token and stall between parts
 * for streams. When a limit passes it aborts the attempt's signal, and `explain` turns the adapter's
 * resulting cancellation into an `upstream_timeout` naming the limit, so a provider that accepts and
 * never answers cannot hold a request past its budget.
 */
export class AttemptWatchdog {
  private readonly controller = new AbortController();
  private readonly timers = new Set<NodeJS.Timeout>();
  private partTimer: NodeJS.Timeout | undefined;
  private expired: string | undefined;
  private readonly onParentAbort = () => this.controller.abort();

  constructor(
    private readonly parent: AbortSignal,
    private readonly target: PlannedTarget,
    private readonly stream: boolean,
  ) {
    if (parent.aborted) this.controller.abort();
    else parent.addEventListener('abort', this.onParentAbort, { once: true });
    this.arm(target.timeouts.totalMs, `sent no complete answer within ${target.timeouts.totalMs} ms`);
    if (stream) this.partTimer = this.arm(target.timeouts.firstTokenMs, `sent no first token within ${target.timeouts.firstTokenMs} ms`);
  }

  /** The signal to give the adapter. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** A stream part arrived: the first-token limit is met, and the stall limit restarts. */
  onPart(): void {
    if (!this.stream || this.expired) return;
    if (this.partTimer) this.clear(this.partTimer);
    this.partTimer = this.arm(this.target.timeouts.stallMs, `stalled for more than ${this.target.timeouts.stallMs} ms`);
  }

  /** The failure to report: a time limit that fired is the real cause of a "cancellation". */
  explain(failure: GatewayError): GatewayError {
    if (!this.expired || this.parent.aborted) return failure;
    return new GatewayError('upstream_timeout', `Provider ${this.target.provider} ${this.expired}`, { provider: this.target.provider });
  }

  /** Ends the attempt now (a parallel attempt won): its adapter sees a cancellation, not a time limit. */
  abort(): void {
    this.controller.abort();
  }

  dispose(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.parent.removeEventListener('abort', this.onParentAbort);
  }

  private arm(milliseconds: number, reason: string): NodeJS.Timeout {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.expired ??= reason;
      this.controller.abort();
    }, milliseconds);
    this.timers.add(timer);
    return timer;
  }

  private clear(timer: NodeJS.Timeout): void {
    clearTimeout(timer);
    this.timers.delete(timer);
  }
}
