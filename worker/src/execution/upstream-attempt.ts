import {
  GatewayError,
  isOutputPart,
  toGatewayError,
  type AttemptRecord,
  type ChatCall,
  type ChatProvider,
  type ChatResult,
  type JobContext,
  type PlannedTarget,
  type ProviderCall,
  type StreamPart,
  type Usage,
  type WorkerState,
} from '@ailb/shared';
import type { Logger } from 'pino';
import type { AttemptObserver } from './attempt-observer.js';
import { AttemptWatchdog } from './attempt-watchdog.js';

/** What every attempt of one job shares. */
export interface AttemptRun {
  context: JobContext<'chat'>;
  providers: ReadonlyMap<string, ChatProvider>;
  state: WorkerState;
  logger: Logger;
  workerId: string;
  observer: AttemptObserver | undefined;
  /** The job's attempts in the order they ended or started serving: `x-ailb-attempts`, the trace, the ledger. */
  attempts: AttemptRecord[];
  /** Told about every malformed stream event an adapter skipped. */
  onMalformedEvent: ((provider: string) => void) | undefined;
  /** Attempts made so far (names in-flight slots). */
  made: number;
}

/** What an attempt produced first: a whole result, or a stream's parts up to its first output part (or its `finish`). */
export type Opening = { kind: 'result'; result: ChatResult } | { kind: 'stream'; parts: StreamPart[] };

/** An attempt that failed, its failure already recorded; `cancelled` when the client left or a parallel attempt won. */
export class AttemptFailed extends Error {
  constructor(
    readonly failure: GatewayError,
    readonly attempt: UpstreamAttempt,
    readonly cancelled: boolean,
  ) {
    super(failure.message);
  }
}

/**
 * One upstream attempt on one target: its in-flight slot, time limits, provider call and record. The
 * record is written once the outcome is known: `commit` when its output starts reaching the client,
 * `fail` (which also updates a committed record: a stream that broke is a failed attempt) or `hedgeOut`.
 */
export class UpstreamAttempt {
  private readonly watchdog: AttemptWatchdog;
  private readonly provider: ChatProvider | undefined;
  private readonly startedAt = performance.now();
  private readonly startedAtEpoch = Date.now();
  private iterator: AsyncIterator<StreamPart> | undefined;
  private slot: string | undefined | false;
  private started = false;
  private released = false;
  private failed: AttemptFailed | undefined;
  private hedgedOut = false;
  /** The provider's stream delivered its `finish`. */
  private finished = false;
  /** This attempt's line in the job's attempts, once it has one. */
  record: AttemptRecord | undefined;
  /** Output of this attempt reached the client (a failure now breaks a started stream). */
  emitted = false;
  /** Milliseconds from the start to the first output part (streams). */
  ttftMs: number | undefined;

  constructor(
    private readonly run: AttemptRun,
    readonly target: PlannedTarget,
    private readonly call: ChatCall,
  ) {
    this.provider = run.providers.get(target.provider);
    this.watchdog = new AttemptWatchdog(run.context.signal, target, run.context.job.stream);
  }

  /** Takes the target's slot and calls the provider; resolves with the result, or a stream's first output. */
  async open(): Promise<Opening> {
    const { context } = this.run;
    const target = this.target;
    if (!this.provider) throw await this.fail(new GatewayError('upstream_error', `Provider ${target.provider} is not configured on worker ${this.run.workerId}`, { provider: target.provider }));
    const attemptId = `${context.job.jobId}:${this.run.made++}`;
    this.slot = await this.takeSlot(attemptId, Math.min(context.job.deadlineAt, Date.now() + target.timeouts.totalMs));
    if (this.slot === false) {
      throw await this.fail(new GatewayError('target_saturated', `Target ${target.provider}/${target.model} is at its concurrency limit of ${target.maxConcurrency}`, { provider: target.provider, retryAfterMs: 1000 }));
    }
    this.started = true;
    this.run.observer?.attemptStarted(target);
    try {
      if (!context.job.stream) return { kind: 'result', result: await this.provider.generate(this.providerCall()) };
      this.iterator = this.provider.stream(this.providerCall())[Symbol.asyncIterator]();
      const parts: StreamPart[] = [];
      for (;;) {
        const part = await this.read();
        parts.push(part);
        if (part.type === 'finish') return { kind: 'stream', parts };
        if (isOutputPart(part)) {
          this.ttftMs = this.elapsedMs();
          this.watchdog.onPart();
          return { kind: 'stream', parts };
        }
      }
    } catch (thrown) {
      throw await this.fail(thrown);
    }
  }

  /** The next part of an opened stream. */
  async next(): Promise<StreamPart> {
    try {
      const part = await this.read();
      this.watchdog.onPart();
      return part;
    } catch (thrown) {
      throw await this.fail(thrown);
    }
  }

  /** Lists the attempt as serving (`success`, or `continued` for the continuation of a broken stream), as its output starts reaching the client. */
  commit(outcome: 'success' | 'continued', usage?: Usage | null): AttemptRecord {
    this.emitted = true;
    this.record = { provider: this.target.provider, model: this.target.model, outcome, durationMs: Math.round(this.elapsedMs()) };
    if (usage !== undefined) this.record.usage = usage;
    this.run.attempts.push(this.record);
    return this.record;
  }

  /** Milliseconds since the attempt started. */
  elapsedMs(): number {
    return performance.now() - this.startedAt;
  }

  /**
   * The attempt served its answer (its record already holds the usage it reported): records the
   * target's success, in the same tick as the answer's last message, so both travel in one round trip. A record that fails is
   * logged, never turned into a failed attempt (the client already has its answer).
   */
  succeed(usage: Usage | null): Promise<void> {
    this.released = true;
    const durationMs = this.elapsedMs();
    this.run.observer?.attemptEnded(this.target, { durationMs, ttftMs: this.ttftMs, usage });
    return this.run.state
      .recordSuccess(this.target, { latencyMs: durationMs, ttftMs: this.ttftMs, startedAt: this.startedAtEpoch }, this.slot || undefined)
      .catch((error: unknown) => this.run.logger.warn({ err: error }, 'recording a success failed'));
  }

  /**
   * Classifies and records a failure (once): a time limit that fired is the cause of a cancellation;
   * only provider-side faults count against the target's health. The client leaving, or a parallel
   * attempt winning, is a cancellation, recorded as nothing / `hedged_out`.
   */
  async fail(thrown: unknown): Promise<AttemptFailed> {
    if (thrown instanceof AttemptFailed) return thrown;
    if (this.failed) return this.failed;
    const { context, logger, observer } = this.run;
    if (context.signal.aborted || this.hedgedOut) {
      this.failed = new AttemptFailed(new GatewayError('request_cancelled', 'The attempt was cancelled.'), this, true);
      return this.failed;
    }
    const error = this.watchdog.explain(toGatewayError(thrown));
    this.failed = new AttemptFailed(error, this, false);
    if (error.code === 'internal_error') logger.error({ err: thrown, jobId: context.job.jobId }, 'attempt failed with an internal error');
    logger.warn({ jobId: context.job.jobId, requestId: context.job.requestId, provider: this.target.provider, code: error.code, afterOutput: this.emitted }, 'upstream attempt failed');
    const durationMs = Math.round(this.elapsedMs());
    if (this.record) this.record.outcome = error.code;
    else this.run.attempts.push((this.record = { provider: this.target.provider, model: this.target.model, outcome: error.code, durationMs }));
    if (this.started) observer?.attemptEnded(this.target, { durationMs, errorCode: error.code });
    if (error.isRetryable && this.started) {
      this.released = true;
      await this.run.state.recordFailure(this.target, this.slot || undefined).catch((recordError: unknown) => logger.warn({ err: recordError }, 'recording a failure failed'));
    }
    return this.failed;
  }

  /** A parallel attempt produced first: this one is aborted and listed as `hedged_out` (it served nothing; its provider reported no usage). */
  hedgeOut(): void {
    if (this.hedgedOut || this.failed) return;
    this.hedgedOut = true;
    const durationMs = this.elapsedMs();
    this.run.attempts.push((this.record = { provider: this.target.provider, model: this.target.model, outcome: 'hedged_out', durationMs: Math.round(durationMs), usage: null }));
    if (this.started) this.run.observer?.attemptEnded(this.target, { durationMs, errorCode: 'hedged_out' });
    this.watchdog.abort();
  }

  /**
   * Stops the timers, ends an upstream stream that did not finish (the call is aborted, the adapter's
   * cleanup runs, its socket is released) and gives back a slot nothing recorded. Idempotent.
   */
  dispose(): void {
    if (this.iterator) {
      if (!this.finished) this.watchdog.abort();
      const iterator = this.iterator;
      this.iterator = undefined;
      void iterator.return?.(undefined)?.catch(() => undefined);
    }
    this.watchdog.dispose();
    if (this.started) {
      this.started = false;
      this.run.observer?.attemptFinished(this.target);
    }
    if (!this.released && this.slot) {
      this.released = true;
      this.run.state.releaseSlot(this.target, this.slot).catch((error: unknown) => this.run.logger.warn({ err: error }, 'releasing an in-flight slot failed'));
    }
  }

  private async read(): Promise<StreamPart> {
    if (!this.iterator) throw new GatewayError('request_cancelled', 'The attempt was disposed.');
    const next = await this.iterator.next();
    if (next.done) throw new GatewayError('upstream_malformed_response', `Provider ${this.target.provider} ended the stream without finishing the answer`, { provider: this.target.provider });
    if (next.value.type === 'finish') this.finished = true;
    return next.value;
  }

  private providerCall(): ProviderCall {
    const call: ProviderCall = { model: this.target.model, call: this.call, signal: this.watchdog.signal, connectTimeoutMs: this.target.timeouts.connectMs };
    const { onMalformedEvent } = this.run;
    if (onMalformedEvent) call.onMalformedEvent = () => onMalformedEvent(this.target.provider);
    return call;
  }

  /**
   * Counts the attempt in flight on its target, when the plan says the count is read. With a
   * concurrency limit the answer decides whether the attempt may run, so it is awaited; for
   * `load_balanced` alone the count only informs planning, so the upstream call does not wait for it.
   * Returns the slot to release, or undefined when none is held; false when the target is full.
   */
  private async takeSlot(attemptId: string, expiresAt: number): Promise<string | undefined | false> {
    const { state, logger } = this.run;
    const target = this.target;
    if (target.maxConcurrency !== undefined) {
      try {
        return (await state.acquireSlot(target, attemptId, expiresAt, target.maxConcurrency)) ? attemptId : false;
      } catch (error) {
        // Shared state unreachable: serve rather than refuse; the limit protects providers, not AILB.
        logger.warn({ err: error }, 'could not check the concurrency limit; running the attempt');
        return undefined;
      }
    }
    if (!target.countInFlight) return undefined;
    state.acquireSlot(target, attemptId, expiresAt).catch((error: unknown) => logger.warn({ err: error }, 'counting an in-flight attempt failed'));
    return attemptId;
  }
}
