import {
  GatewayError,
  toGatewayError,
  type ChatProvider,
  type ClusterStateWriter,
  type JobContext,
  type RouteTarget,
  type StreamPart,
} from '@ailb/shared';
import type { Logger } from 'pino';

export interface ExecutionDependencies {
  providers: ReadonlyMap<string, ChatProvider>;
  state: ClusterStateWriter;
  logger: Logger;
  workerId: string;
}

/** Thrown inside an attempt once output has reached the client: no other target may take over. */
class CommittedStreamError extends Error {
  constructor(readonly failure: GatewayError) {
    super(failure.message);
  }
}

/**
 * Runs one chat job: tries the plan's targets in order and sends the answer (or an error) to the
 * waiting gateway. A retryable failure before any output moves on to the next target; a client
 * verdict (bad parameter, context too long) or any failure after output has been sent ends the job.
 */
export async function executeChatJob(context: JobContext, dependencies: ExecutionDependencies): Promise<void> {
  const { job, signal } = context;
  let lastError: GatewayError | undefined;
  for (const target of job.plan.targets) {
    if (signal.aborted) return;
    const provider = dependencies.providers.get(target.provider);
    if (!provider) {
      lastError = new GatewayError('upstream_error', `Provider ${target.provider} is not configured on worker ${dependencies.workerId}`, { provider: target.provider });
      continue;
    }
    const startedAt = performance.now();
    try {
      if (job.stream) await streamAttempt(context, provider, target, startedAt);
      else await generateAttempt(context, provider, target, startedAt);
      await dependencies.state.recordSuccess(target.provider, performance.now() - startedAt);
      return;
    } catch (thrown) {
      const committed = thrown instanceof CommittedStreamError;
      const failure = committed ? thrown.failure : toGatewayError(thrown);
      if (signal.aborted || failure.code === 'request_cancelled') return;
      if (failure.code === 'internal_error') dependencies.logger.error({ err: thrown, jobId: job.jobId }, 'attempt failed with an internal error');
      // Only provider-side faults count against a provider's health; a rejected request does not.
      if (failure.isRetryable) await dependencies.state.recordFailure(target.provider);
      dependencies.logger.warn({ jobId: job.jobId, requestId: job.requestId, provider: target.provider, code: failure.code }, 'upstream attempt failed');
      lastError = failure;
      if (committed || !failure.isRetryable) break;
    }
  }
  const error = lastError ?? new GatewayError('upstream_error', 'No target could serve the request');
  await context.reply({ kind: 'error', error: error.toData() });
}

async function generateAttempt(context: JobContext, provider: ChatProvider, target: RouteTarget, startedAt: number): Promise<void> {
  const result = await provider.generate({ model: target.model, request: context.job.request, signal: context.signal });
  const upstreamMs = performance.now() - startedAt;
  await context.reply({ kind: 'result', servedBy: { provider: target.provider, model: result.model || target.model, upstreamMs }, result });
}

async function streamAttempt(context: JobContext, provider: ChatProvider, target: RouteTarget, startedAt: number): Promise<void> {
  let started = false;
  let finished = false;
  try {
    for await (const part of provider.stream({ model: target.model, request: context.job.request, signal: context.signal })) {
      if (!started) {
        started = true;
        const model = part.type === 'response-metadata' ? part.model : target.model;
        await context.reply({ kind: 'start', servedBy: { provider: target.provider, model: model || target.model, upstreamMs: performance.now() - startedAt } });
      }
      if (part.type === 'finish') finished = true;
      await context.reply({ kind: 'parts', parts: [part satisfies StreamPart] });
    }
  } catch (thrown) {
    if (started) throw new CommittedStreamError(toGatewayError(thrown));
    throw thrown;
  }
  if (!finished) {
    const failure = new GatewayError('upstream_malformed_response', `Provider ${target.provider} ended the stream without finishing the answer`, { provider: target.provider });
    if (started) throw new CommittedStreamError(failure);
    throw failure;
  }
  await context.reply({ kind: 'end' });
}
