import { setTimeout as sleep } from 'node:timers/promises';
import {
  GatewayError,
  isOutputPart,
  toGatewayError,
  type AttemptRecord,
  type ChatProvider,
  type JobContext,
  type PlannedTarget,
  type ProviderCall,
  type StreamPart,
  type Usage,
  type WorkerState,
} from '@ailb/shared';
import type { Logger } from 'pino';
import type { AttemptObserver } from './attempt-observer.js';
import { backoffDelay, mostMeaningfulError, nextStep, nextStepFor } from './attempt-policy.js';
import { AttemptWatchdog } from './attempt-watchdog.js';
import { StreamReplier } from './stream-replier.js';

export interface ExecutionDependencies {
  providers: ReadonlyMap<string, ChatProvider>;
  state: WorkerState;
  logger: Logger;
  workerId: string;
  /** Uniform numbers in [0, 1) for backoff jitter. @defaultValue Math.random */
  random?: () => number;
  /** This worker's VERSION: every answer names it (`x-ailb-worker-version` at the gateway). */
  workerVersion?: string;
  /** Told about attempts, retries and failovers (the worker's metrics). @defaultValue none */
  observer?: AttemptObserver;
}

/** Thrown inside an attempt once output has reached the client: no other attempt may take over. */
class CommittedStreamError extends Error {
  constructor(
    readonly failure: GatewayError,
    readonly replier: StreamReplier,
  ) {
    super(failure.message);
  }
}

type AttemptOutcome = { kind: 'served' } | { kind: 'cancelled' } | { kind: 'failed'; error: GatewayError; committed: StreamReplier | undefined };

/**
 * Runs one chat job: tries the plan's targets in order, retrying retryable failures on a target with
 * backoff (or the provider's Retry-After) up to the plan's attempts per target, and sends the answer
 * (or the most meaningful error) to the waiting gateway. Once stream output has reached the client,
 * a failure ends the stream in-band: nothing else may continue it.
 */
export async function executeChatJob(context: JobContext<'chat'>, dependencies: ExecutionDependencies): Promise<void> {
  const { job, signal } = context;
  const { retries } = job.plan;
  const attempts: AttemptRecord[] = [];
  const failures: GatewayError[] = [];
  let committed: StreamReplier | undefined;
  // A context-length verdict is never retried on the same model; the larger-context route takes over.
  let queue = job.plan.targets;
  let contextFallback = job.plan.contextFallback ?? [];
  const { observer } = dependencies;
  observer?.jobTaken(job);
  targets: for (let index = 0; index < queue.length; index++) {
    const target = queue[index]!;
    for (let attempt = 1; attempt <= retries.maxAttemptsPerTarget; attempt++) {
      if (signal.aborted) return;
      const outcome = await runAttempt(context, dependencies, target, attempts);
      if (outcome.kind !== 'failed') return;
      failures.push(outcome.error);
      committed = outcome.committed;
      const step = committed ? 'stop' : nextStepFor(outcome.error, target, retries);
      if (step === 'stop' && !outcome.committed && outcome.error.code === 'context_length_exceeded' && contextFallback.length > 0) {
        observer?.failedOver(target, outcome.error.code);
        queue = contextFallback;
        contextFallback = [];
        index = -1;
        continue targets;
      }
      if (step === 'stop') break targets;
      const hasNext = index + 1 < queue.length;
      if (step === 'next_target' || attempt === retries.maxAttemptsPerTarget) {
        if (hasNext) observer?.failedOver(target, outcome.error.code);
        continue targets;
      }
      const delay = outcome.error.retryAfterMs ?? backoffDelay(attempt, retries.backoffBaseMs, retries.backoffMaxMs, dependencies.random);
      // A wait the deadline cannot afford is better spent on the next target.
      if (Date.now() + delay >= job.deadlineAt) {
        if (hasNext) observer?.failedOver(target, outcome.error.code);
        continue targets;
      }
      try {
        await sleep(delay, undefined, { signal });
      } catch {
        return;
      }
      observer?.retried(target, outcome.error.code);
    }
  }
  const last = failures.at(-1);
  // A verdict on the request (or a broken stream) is the answer; otherwise the most actionable failure.
  const error = (last && nextStep(last) === 'stop' ? last : mostMeaningfulError(failures)) ?? new GatewayError('upstream_error', 'No target could serve the request');
  // After output reached the client, the failure can only end the stream in-band.
  if (committed) await committed.end([{ type: 'error', error: error.toData() }]);
  else await context.reply({ kind: 'error', attempts, error: error.toData(), workerVersion: dependencies.workerVersion });
}

async function runAttempt(context: JobContext<'chat'>, dependencies: ExecutionDependencies, target: PlannedTarget, attempts: AttemptRecord[]): Promise<AttemptOutcome> {
  const provider = dependencies.providers.get(target.provider);
  if (!provider) {
    const error = new GatewayError('upstream_error', `Provider ${target.provider} is not configured on worker ${dependencies.workerId}`, { provider: target.provider });
    attempts.push({ provider: target.provider, model: target.model, outcome: error.code, durationMs: 0 });
    return { kind: 'failed', error, committed: undefined };
  }
  const attemptId = `${context.job.jobId}:${attempts.length}`;
  const slot = await takeSlot(dependencies, target, attemptId, Math.min(context.job.deadlineAt, Date.now() + target.timeouts.totalMs));
  if (slot === false) {
    const error = new GatewayError('target_saturated', `Target ${target.provider}/${target.model} is at its concurrency limit of ${target.maxConcurrency}`, { provider: target.provider, retryAfterMs: 1000 });
    attempts.push({ provider: target.provider, model: target.model, outcome: error.code, durationMs: 0 });
    return { kind: 'failed', error, committed: undefined };
  }
  const watchdog = new AttemptWatchdog(context.signal, target, context.job.stream);
  const startedAt = performance.now();
  const startedAtEpoch = Date.now();
  const { observer } = dependencies;
  observer?.attemptStarted(target);
  // Recording an outcome releases the in-flight slot in the same write; other endings release it here.
  let released = false;
  const log: AttemptLog = {
    attempts,
    record: (outcome) => attempts.push({ provider: target.provider, model: target.model, outcome, durationMs: Math.round(performance.now() - startedAt) }),
  };
  // The success is recorded in the same tick as the answer's last message leaves, so both travel in
  // one pipelined round trip; a record that fails is logged, never turned into a failed attempt (the
  // client already has its answer).
  const served = (ttftMs?: number, usage?: Usage | null): Promise<void> => {
    released = true;
    observer?.attemptEnded(target, { durationMs: performance.now() - startedAt, ttftMs, usage });
    return dependencies.state
      .recordSuccess(target, { latencyMs: performance.now() - startedAt, ttftMs, startedAt: startedAtEpoch }, slot)
      .catch((error: unknown) => dependencies.logger.warn({ err: error }, 'recording a success failed'));
  };
  try {
    if (context.job.stream) await streamAttempt(context, provider, target, watchdog, startedAt, log, served, dependencies.workerVersion);
    else await generateAttempt(context, provider, target, watchdog, startedAt, log, served, dependencies.workerVersion);
    return { kind: 'served' };
  } catch (thrown) {
    if (context.signal.aborted) return { kind: 'cancelled' };
    const committed = thrown instanceof CommittedStreamError ? thrown.replier : undefined;
    const error = watchdog.explain(thrown instanceof CommittedStreamError ? thrown.failure : toGatewayError(thrown));
    if (error.code === 'internal_error') dependencies.logger.error({ err: thrown, jobId: context.job.jobId }, 'attempt failed with an internal error');
    dependencies.logger.warn({ jobId: context.job.jobId, requestId: context.job.requestId, provider: target.provider, code: error.code }, 'upstream attempt failed');
    // A committed stream's attempt was already listed (as the one serving) when its headers went out.
    if (!committed) log.record(error.code);
    observer?.attemptEnded(target, { durationMs: performance.now() - startedAt, errorCode: error.code });
    // Only provider-side faults count against a provider's health; a rejected request does not.
    if (error.isRetryable) {
      released = true;
      await dependencies.state.recordFailure(target, slot).catch((recordError: unknown) => dependencies.logger.warn({ err: recordError }, 'recording a failure failed'));
    }
    return { kind: 'failed', error, committed };
  } finally {
    watchdog.dispose();
    observer?.attemptFinished(target);
    if (!released && slot !== undefined) dependencies.state.releaseSlot(target, slot).catch((error: unknown) => dependencies.logger.warn({ err: error }, 'releasing an in-flight slot failed'));
  }
}

/**
 * Counts the attempt in flight on its target, when the plan says the count is read. With a concurrency
 * limit the answer decides whether the attempt may run, so it is awaited; for `load_balanced` alone
 * the count only informs planning, so the upstream call does not wait for it (the release that follows
 * travels on the same connection, after it). Returns the slot to release, or undefined when none is
 * held; false when the target is full.
 */
async function takeSlot(dependencies: ExecutionDependencies, target: PlannedTarget, attemptId: string, expiresAt: number): Promise<string | undefined | false> {
  if (target.maxConcurrency !== undefined) {
    try {
      return (await dependencies.state.acquireSlot(target, attemptId, expiresAt, target.maxConcurrency)) ? attemptId : false;
    } catch (error) {
      // Shared state unreachable: serve rather than refuse; the limit protects providers, not AILB.
      dependencies.logger.warn({ err: error }, 'could not check the concurrency limit; running the attempt');
      return undefined;
    }
  }
  if (!target.countInFlight) return undefined;
  dependencies.state.acquireSlot(target, attemptId, expiresAt).catch((error: unknown) => dependencies.logger.warn({ err: error }, 'counting an in-flight attempt failed'));
  return attemptId;
}

/** The job's attempts so far, and how to add the current one. */
interface AttemptLog {
  attempts: AttemptRecord[];
  record(outcome: string): void;
}

/** The call an attempt makes on a target: the job's spec call, the target's model and limits. */
function providerCall(context: JobContext<'chat'>, target: PlannedTarget, watchdog: AttemptWatchdog): ProviderCall {
  return { model: target.model, call: context.job.call, signal: watchdog.signal, connectTimeoutMs: target.timeouts.connectMs };
}

/** What an attempt calls, in the same tick as its answer's last message, to record its success. */
type RecordServed = (ttftMs?: number, usage?: Usage | null) => Promise<void>;

/** A whole answer: sent and recorded together. */
async function generateAttempt(context: JobContext<'chat'>, provider: ChatProvider, target: PlannedTarget, watchdog: AttemptWatchdog, startedAt: number, log: AttemptLog, served: RecordServed, workerVersion: string | undefined): Promise<void> {
  const result = await provider.generate(providerCall(context, target, watchdog));
  const upstreamMs = performance.now() - startedAt;
  log.record('success');
  await Promise.all([context.reply({ kind: 'result', servedBy: { provider: target.provider, model: result.response.modelId || target.model, upstreamMs, workerVersion }, attempts: log.attempts, result }), served(undefined, result.usage)]);
}

/**
 * Relays a stream, recording its success (with its time to first output part) as the last message
 * leaves. Parts before the first output part
 * (`stream-start`, `response-metadata`) are held back: the stream is committed to this target only
 * once it produced output, so a provider that opens a stream quickly but is slow to produce still
 * fails over invisibly.
 */
async function streamAttempt(context: JobContext<'chat'>, provider: ChatProvider, target: PlannedTarget, watchdog: AttemptWatchdog, startedAt: number, log: AttemptLog, served: RecordServed, workerVersion: string | undefined): Promise<void> {
  let replier: StreamReplier | undefined;
  let ttftMs = 0;
  let finish: StreamPart | undefined;
  const held: StreamPart[] = [];
  try {
    for await (const part of provider.stream(providerCall(context, target, watchdog))) {
      if (part.type === 'finish') {
        finish = part;
        break;
      }
      if (!replier && !isOutputPart(part)) {
        held.push(part);
        continue;
      }
      watchdog.onPart();
      if (!replier) {
        ttftMs = performance.now() - startedAt;
        const modelId = held.find((item) => item.type === 'response-metadata')?.modelId;
        log.record('success');
        replier = StreamReplier.start(context, { servedBy: { provider: target.provider, model: modelId || target.model, upstreamMs: ttftMs, workerVersion }, attempts: log.attempts }, [...held, part]);
      } else {
        replier.push(part);
        replier.check();
      }
    }
  } catch (thrown) {
    if (replier) throw new CommittedStreamError(watchdog.explain(toGatewayError(thrown)), replier);
    throw thrown;
  }
  if (!finish) {
    const failure = new GatewayError('upstream_malformed_response', `Provider ${target.provider} ended the stream without finishing the answer`, { provider: target.provider });
    if (replier) throw new CommittedStreamError(failure, replier);
    throw failure;
  }
  if (!replier) {
    // An answer with no output at all (an empty completion): started and finished in one message.
    ttftMs = performance.now() - startedAt;
    const modelId = held.find((item) => item.type === 'response-metadata')?.modelId;
    log.record('success');
    const start = { servedBy: { provider: target.provider, model: modelId || target.model, upstreamMs: ttftMs, workerVersion }, attempts: log.attempts };
    await Promise.all([context.reply({ kind: 'stream', start, parts: [...held, finish], end: true }), served(ttftMs, finishUsage(finish))]);
    return;
  }
  await replier.end([finish], () => served(ttftMs, finishUsage(finish)));
}

/** The usage a stream's finish part carries (providers that report none give null). */
function finishUsage(part: StreamPart): Usage | null {
  return part.type === 'finish' ? part.usage : null;
}
