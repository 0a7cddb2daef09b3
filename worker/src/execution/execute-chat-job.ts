import { setTimeout as sleep } from 'node:timers/promises';
import { GatewayError, type ChatProvider, type JobContext, type PlannedTarget, type WorkerState } from '@ailb/shared';
import type { Logger } from 'pino';
import type { AttemptObserver } from './attempt-observer.js';
import { backoffDelay, mostMeaningfulError, nextStep, nextStepFor, type NextStep } from './attempt-policy.js';
import { openAttempt, type Opened } from './hedged-open.js';
import { StreamSession, type ContinuationMode } from './stream-session.js';
import { AttemptFailed, type AttemptRun } from './upstream-attempt.js';

export interface ExecutionDependencies {
  providers: ReadonlyMap<string, ChatProvider>;
  state: WorkerState;
  logger: Logger;
  workerId: string;
  /** Uniform numbers in [0, 1) for backoff jitter. @defaultValue Math.random */
  random?: () => number;
  /** This worker's VERSION: every answer names it (`x-ailb-worker-version` at the gateway). */
  workerVersion?: string;
  /** Told about attempts, retries, failovers, hedges and continuations (the worker's metrics). @defaultValue none */
  observer?: AttemptObserver;
}

/**
 * Runs one chat job: tries the plan's targets in order, retrying retryable failures on a target with
 * backoff (or the provider's Retry-After) up to the plan's attempts per target, and sends the answer
 * (or the most meaningful error) to the waiting gateway. A target with `hedgeAfterMs` that has not
 * produced by then races the next target. A stream that breaks after output continues on the next
 * targets (`continueStreams`): prefilled with the text already sent where the target accepts a
 * prefill, else restarted and relayed only past that text; when nothing rescues it, it ends in-band
 * with the failure that broke it.
 */
export async function executeChatJob(context: JobContext<'chat'>, dependencies: ExecutionDependencies): Promise<void> {
  const { job, signal } = context;
  const { retries } = job.plan;
  const { observer } = dependencies;
  const run: AttemptRun = {
    context,
    providers: dependencies.providers,
    state: dependencies.state,
    logger: dependencies.logger,
    workerId: dependencies.workerId,
    observer,
    attempts: [],
    made: 0,
    onMalformedEvent: (provider) => {
      observer?.malformedEvent(provider);
      dependencies.logger.warn({ jobId: job.jobId, requestId: job.requestId, provider }, 'skipped one malformed stream event');
    },
  };
  const failures: GatewayError[] = [];
  const session = job.stream ? new StreamSession(context, run.attempts, dependencies.workerVersion) : undefined;
  const continueStreams = job.plan.continueStreams !== false;
  // A context-length verdict is never retried on the same model; the larger-context route takes over.
  let queue = job.plan.targets;
  let contextFallback = job.plan.contextFallback ?? [];
  let index = 0;
  let tries = 0;
  // The continuation on the current target was refused with its prefill: it restarts without.
  let restart = false;
  observer?.jobTaken(job);
  while (index < queue.length) {
    if (signal.aborted) return;
    const target = queue[index]!;
    tries++;
    const continuing = session?.started === true;
    const mode: ContinuationMode | undefined = continuing ? (restart || !acceptsPrefill(dependencies, target) ? 'restart' : 'prefill') : undefined;
    const next = queue[index + 1];
    const hedge = !continuing && tries === 1 && target.hedgeAfterMs !== undefined && next ? { target: next, afterMs: target.hedgeAfterMs } : undefined;
    let failed: AttemptFailed;
    let opened: Opened | undefined;
    try {
      opened = await openAttempt(run, target, mode ? session!.continuationCall(job.call, mode) : job.call, hedge, (other) => failures.push(other.failure));
      if (opened.attempt.target === next) {
        index++;
        tries = 1;
      }
      await serve(run, dependencies.workerVersion, session, opened);
      return;
    } catch (thrown) {
      if (!(thrown instanceof AttemptFailed)) throw thrown;
      failed = thrown;
    } finally {
      opened?.attempt.dispose();
    }
    failed.attempt.dispose();
    if (failed.cancelled) return;
    const { failure } = failed;
    const current = failed.attempt.target;
    // The hedge target failed before anything opened (once opened, the index already moved to it).
    if (!opened && current !== target && current === next) {
      index++;
      tries = 1;
    }
    failures.push(failure);
    // The gateway can no longer be reached: nothing more can be sent, however the answer goes on.
    if (session?.replyFailed) {
      dependencies.logger.warn({ jobId: job.jobId, requestId: job.requestId }, 'the stream could not be sent to the gateway; giving up on the job');
      return;
    }
    let step: NextStep;
    if (session && failed.attempt.emitted) {
      // The stream broke after output reached the client: continue it, or end it with this failure.
      session.broken ??= failure;
      step = continueStreams && session.continuable() ? 'next_target' : 'stop';
      if (step === 'next_target' && index + 1 < queue.length) observer?.streamContinued(current, failure.code);
    } else if (mode) {
      // A continuation refused before adding anything: a prefill refused as a bad request (the 400 of a
      // model that takes none) restarts without it, on the same target.
      if (mode === 'prefill' && failure.status === 400) {
        restart = true;
        tries--;
        continue;
      }
      step = nextStepFor(failure, current, retries);
      if (step === 'stop') step = 'next_target';
    } else {
      step = nextStepFor(failure, current, retries);
    }
    if (step === 'stop' && !continuing && failure.code === 'context_length_exceeded' && contextFallback.length > 0) {
      observer?.failedOver(current, failure.code);
      queue = contextFallback;
      contextFallback = [];
      index = 0;
      tries = 0;
      continue;
    }
    if (step === 'stop') break;
    const hasNext = index + 1 < queue.length;
    if (step === 'next_target' || tries >= retries.maxAttemptsPerTarget) {
      if (hasNext && !failed.attempt.emitted) observer?.failedOver(current, failure.code);
      index++;
      tries = 0;
      restart = false;
      continue;
    }
    const delay = failure.retryAfterMs ?? backoffDelay(tries, retries.backoffBaseMs, retries.backoffMaxMs, dependencies.random);
    // A wait the deadline cannot afford is better spent on the next target.
    if (Date.now() + delay >= job.deadlineAt) {
      if (hasNext) observer?.failedOver(current, failure.code);
      index++;
      tries = 0;
      restart = false;
      continue;
    }
    try {
      await sleep(delay, undefined, { signal });
    } catch {
      return;
    }
    observer?.retried(current, failure.code);
  }
  // A stream that broke ends with the failure that broke it, never a continuation's own refusal.
  if (session?.broken) {
    await session.fail(session.broken);
    return;
  }
  const last = failures.at(-1);
  // A verdict on the request is the answer; otherwise the most actionable failure.
  const error = (last && nextStep(last) === 'stop' ? last : mostMeaningfulError(failures)) ?? new GatewayError('upstream_error', 'No target could serve the request');
  await context.reply({ kind: 'error', attempts: run.attempts, error: error.toData(), workerVersion: dependencies.workerVersion });
}

/** Whether a continuation on `target` may send a prefill: the route's `supports_prefill`, else the adapter's word for the model. */
function acceptsPrefill(dependencies: ExecutionDependencies, target: PlannedTarget): boolean {
  return target.supportsPrefill ?? dependencies.providers.get(target.provider)?.acceptsPrefill?.(target.model) ?? false;
}

/** Sends an opened attempt's answer: a whole result, or the stream relayed to its end. Throws the attempt's failure. */
async function serve(run: AttemptRun, workerVersion: string | undefined, session: StreamSession | undefined, { attempt, opening }: Opened): Promise<void> {
  const { target } = attempt;
  if (opening.kind === 'stream') {
    await session!.relay(attempt, opening.parts);
    return;
  }
  const { result } = opening;
  const upstreamMs = attempt.elapsedMs();
  attempt.commit('success', result.usage);
  const servedBy = { provider: target.provider, model: result.response.modelId || target.model, upstreamMs, workerVersion };
  // The answer is final: a reply that cannot be sent is not the provider's failure, and no other
  // target would fare better (the gateway then answers at the request's deadline).
  await Promise.all([
    run.context.reply({ kind: 'result', servedBy, attempts: run.attempts, result }).catch((error: unknown) => run.logger.warn({ err: error, jobId: run.context.job.jobId }, 'the answer could not be sent to the gateway')),
    attempt.succeed(result.usage),
  ]);
}
