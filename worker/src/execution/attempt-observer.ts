import type { RouteTarget, Usage } from '@ailb/shared';

/**
 * What chat execution tells an observer (the worker's metrics) as it runs: a job taken off the queue,
 * each attempt's start and end, retries on a target and moves to the next. Calls are synchronous and
 * cheap; without an observer execution does no extra work.
 */
export interface AttemptObserver {
  jobTaken(job: { enqueuedAt: number; priority?: string | undefined }): void;
  /** An attempt is in flight on `target` until {@link attemptFinished}. */
  attemptStarted(target: RouteTarget): void;
  attemptFinished(target: RouteTarget): void;
  /** A served or failed attempt (never called for one the client cancelled). `errorCode` on failure; `ttftMs` for successful streams; `usage` as the provider reported it. */
  attemptEnded(target: RouteTarget, outcome: { durationMs: number; errorCode?: string; ttftMs?: number | undefined; usage?: Usage | null | undefined }): void;
  retried(target: RouteTarget, reason: string): void;
  failedOver(from: RouteTarget, reason: string): void;
  /** `from` produced no first token within its `hedgeAfterMs`: the next target starts in parallel. */
  hedged(from: RouteTarget): void;
  /** A stream `from` was serving broke after output (`reason`: the error code); the next target continues it. */
  streamContinued(from: RouteTarget, reason: string): void;
  /** An adapter skipped one unreadable stream event from `provider`. */
  malformedEvent(provider: string): void;
}
