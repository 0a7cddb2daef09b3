import type { ChatCall, PlannedTarget } from '@ailb/shared';
import { UpstreamAttempt, type AttemptFailed, type AttemptRun, type Opening } from './upstream-attempt.js';

/** An attempt that produced its first output (or whole result), ready to be served. */
export interface Opened {
  attempt: UpstreamAttempt;
  opening: Opening;
}

/**
 * Opens an attempt on `target`; with a `hedge`, starts the hedge target in parallel when `target` has
 * produced no first output (no result, for a whole answer) after `hedge.afterMs`. The first to produce
 * wins; the other is aborted and listed as `hedged_out`. An attempt that fails while the other still
 * runs is handed to `onFailure` (it is recorded already) and the other goes on alone. Rejects with the
 * failure of the last attempt standing. Every attempt but the one returned or rejected is disposed here.
 */
export function openAttempt(run: AttemptRun, target: PlannedTarget, call: ChatCall, hedge: { target: PlannedTarget; afterMs: number } | undefined, onFailure: (failed: AttemptFailed) => void): Promise<Opened> {
  const primary = new UpstreamAttempt(run, target, call);
  if (!hedge) return primary.open().then((opening) => ({ attempt: primary, opening }));
  return new Promise<Opened>((resolve, reject) => {
    const running = new Set<UpstreamAttempt>();
    let settled = false;
    const timer = setTimeout(() => {
      if (settled) return;
      run.logger.debug({ jobId: run.context.job.jobId, from: `${target.provider}/${target.model}`, to: `${hedge.target.provider}/${hedge.target.model}` }, 'hedging: no first token yet, starting the next target in parallel');
      run.observer?.hedged(target);
      enter(new UpstreamAttempt(run, hedge.target, call));
    }, hedge.afterMs);
    const onAbort = () => clearTimeout(timer);
    run.context.signal.addEventListener('abort', onAbort, { once: true });
    const settle = () => {
      settled = true;
      clearTimeout(timer);
      run.context.signal.removeEventListener('abort', onAbort);
    };
    const enter = (attempt: UpstreamAttempt) => {
      running.add(attempt);
      attempt.open().then(
        (opening) => {
          running.delete(attempt);
          if (settled) {
            attempt.hedgeOut();
            attempt.dispose();
            return;
          }
          settle();
          for (const other of running) {
            other.hedgeOut();
            other.dispose();
          }
          resolve({ attempt, opening });
        },
        (thrown: unknown) => {
          running.delete(attempt);
          const failed = thrown as AttemptFailed;
          if (settled) {
            attempt.dispose();
            return;
          }
          // The other attempt carries on alone.
          if (running.size > 0 && !failed.cancelled) {
            onFailure(failed);
            attempt.dispose();
            return;
          }
          settle();
          reject(failed);
        },
      );
    };
    enter(primary);
  });
}
