import { randomBytes, randomUUID } from 'node:crypto';
import {
  CHAT_JOB_VERSION,
  errorCatalog,
  isErrorCode,
  jobPrioritySchema,
  GatewayError,
  toGatewayError,
  type ChatJob,
  type AttemptRecord,
  type ChatReply,
  type JobPriority,
  type RequestTrace,
  type RoutingPlan,
  type StreamReply,
  type TraceStore,
  type JobProducer,
  type Usage,
} from '@ailb/shared';
import { ChunkEncoder, decodeChatRequest, openAIErrorBody, toChatCompletion, toClientParam, type ResponseIdentity, type WireLocations } from '@ailb/shared/openai-chat';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ReplyStream } from '../chat/reply-stream.js';
import { SseWriter } from '../chat/sse-writer.js';
import type { GatewayMetrics } from '../observability/gateway-metrics.js';
import type { ModelCatalog } from '../routing/model-catalog.js';
import type { WorkerAvailability } from '../state/worker-availability.js';

export interface ChatRouteDependencies {
  catalog: ModelCatalog;
  producer: JobProducer;
  workers: WorkerAvailability;
  metrics: GatewayMetrics;
  traces: TraceStore;
  requestTimeoutMs: number;
}

/** What one request did so far; its end goes to metrics and to its trace. */
interface ChatProgress {
  /** The job's id, generated before planning: it also holds the plan's probe claims. */
  jobId: string;
  /** Bounded for metric labels: an unresolved model name is client input, never a label value. */
  model: string;
  provider: string;
  stream: boolean;
  plan?: RoutingPlan;
  attempts: readonly AttemptRecord[];
}

type Served = { servedBy: NonNullable<StreamReply['start']>['servedBy']; attempts: AttemptRecord[] };

const responseId = () => `chatcmpl-${randomBytes(18).toString('base64url')}`;
const milliseconds = (value: number) => Math.max(0, value).toFixed(2);

/**
 * The routing decision as headers: `x-ailb-route` (strategy, the target that answered, attempt count)
 * and `x-ailb-attempts` (every attempt: target, outcome, duration), on answers and errors alike.
 */
function routeHeaders(plan: RoutingPlan, attempts: readonly AttemptRecord[], served: boolean): Record<string, string> {
  const last = attempts.at(-1);
  const target = served && last ? `${last.provider}/${last.model}` : 'none';
  return {
    'x-ailb-route': `strategy=${plan.strategy}; target=${target}; attempts=${attempts.length}`,
    'x-ailb-attempts': attempts.map((attempt) => `${attempt.provider}/${attempt.model}=${attempt.outcome};${attempt.durationMs}ms`).join(', '),
  };
}

/** Headers every successful chat answer carries; records the overhead they report. */
function answerHeaders(request: FastifyRequest, progress: ChatProgress & { plan: RoutingPlan }, first: Served, metrics: GatewayMetrics): Record<string, string> {
  const { plan, stream } = progress;
  progress.attempts = first.attempts;
  const { servedBy } = first;
  const overheadMs = performance.now() - request.receivedAt - servedBy.upstreamMs;
  metrics.recordServed(servedBy.provider, stream, overheadMs, servedBy.upstreamMs);
  return {
    'x-request-id': request.id,
    'x-ailb-provider': servedBy.provider,
    'x-ailb-overhead-ms': milliseconds(overheadMs),
    ...routeHeaders(plan, first.attempts, true),
  };
}

/** `x-ailb-priority: high | normal | low` (default normal). */
function jobPriority(header: string | string[] | undefined): JobPriority {
  if (header === undefined) return 'normal';
  const parsed = jobPrioritySchema.safeParse(typeof header === 'string' ? header.trim().toLowerCase() : header);
  if (!parsed.success) throw new GatewayError('invalid_value', "Invalid value for header 'x-ailb-priority': use high, normal or low.", { param: 'x-ailb-priority' });
  return parsed.data;
}

/** The worker's error in the client's words (spec params become the request's field names). */
function failureFrom(reply: ChatReply, locations: WireLocations): GatewayError {
  if (reply.kind === 'error') return toClientParam(GatewayError.fromData(reply.error), locations);
  return new GatewayError('internal_error', `Unexpected '${reply.kind}' reply from the worker.`);
}

/** POST /v1/chat/completions: validate, plan, enqueue, and relay the worker's answer. */
export function registerChatCompletionsRoute(app: FastifyInstance, dependencies: ChatRouteDependencies): void {
  const { catalog, producer, workers, metrics, traces, requestTimeoutMs } = dependencies;

  app.post('/v1/chat/completions', async (request: FastifyRequest, reply: FastifyReply) => {
    const startedAt = Date.now();
    const progress: ChatProgress = { jobId: randomUUID(), model: 'unknown', provider: 'none', stream: false, attempts: [] };
    const complete = (outcome: string, status: number, usage: Usage | null = null) => {
      const { plan } = progress;
      metrics.recordOutcome({ model: progress.model, provider: progress.provider, stream: progress.stream, outcome }, usage);
      if (!plan) return;
      const attempted = new Set(progress.attempts.map((attempt) => `${attempt.provider}/${attempt.model}`));
      void catalog.releaseUnusedProbes(plan, progress.jobId, attempted);
      const trace: RequestTrace = {
        request_id: request.id,
        model: plan.requestedModel,
        strategy: plan.strategy,
        stream: progress.stream,
        outcome,
        status,
        started_at: new Date(startedAt).toISOString(),
        duration_ms: Date.now() - startedAt,
        candidates: [...plan.targets, ...(plan.excluded ?? [])].map(({ provider, model }) => ({ provider, model })),
        excluded: plan.excluded ?? [],
        attempts: progress.attempts.map(({ provider, model, outcome: result, durationMs }) => ({
          provider,
          model,
          outcome: result,
          // The status the attempt's outcome maps to on AILB's wire (200 for the one that served).
          status: isErrorCode(result) ? errorCatalog[result].status : 200,
          duration_ms: durationMs,
        })),
      };
      // Off the response path: a trace that cannot be stored must not fail the request.
      traces.save(trace).catch((error: unknown) => request.log.warn({ err: error }, 'saving the routing trace failed'));
    };
    try {
      return await handleChat(request, reply, progress, complete);
    } catch (error) {
      const failure = toGatewayError(error);
      if (failure.provider) progress.provider = failure.provider;
      complete(failure.code, failure.status);
      throw failure;
    }
  });

  async function handleChat(request: FastifyRequest, reply: FastifyReply, progress: ChatProgress, complete: (outcome: string, status: number, usage?: Usage | null) => void) {
    const decoded = decodeChatRequest(request.body);
    const sessionHeader = request.headers['x-session-id'];
    if (decoded.extensions.sessionId === undefined && typeof sessionHeader === 'string' && sessionHeader !== '') {
      decoded.extensions.sessionId = sessionHeader.slice(0, 256);
    }

    // All input is checked before planning, which may claim a half-open target's single probe.
    const priority = jobPriority(request.headers['x-ailb-priority']);
    progress.stream = decoded.stream;
    const plan = await catalog.plan(decoded.model, { stream: progress.stream, claimId: progress.jobId });
    const planned = Object.assign(progress, { plan, model: plan.requestedModel });
    if ((await workers.liveWorkers()) === 0) {
      throw new GatewayError('no_worker_available', 'No worker is available to serve the request; try again shortly.', { retryAfterMs: 1000 });
    }
    const now = Date.now();
    const job: ChatJob = {
      version: CHAT_JOB_VERSION,
      jobId: progress.jobId,
      requestId: request.id,
      replyTo: producer.replyChannel,
      deadlineAt: now + requestTimeoutMs,
      enqueuedAt: now,
      stream: decoded.stream,
      priority,
      call: decoded.call,
      plan,
    };

    // Listen before enqueueing: a fast worker may answer before `enqueue` resolves.
    const replies = new ReplyStream(producer, job.jobId, job.deadlineAt);
    let settled = false;
    const cancel = () => {
      if (settled) return;
      settled = true;
      replies.close();
      producer.cancel('chat', job.jobId).catch((error: unknown) => request.log.warn({ err: error }, 'cancel failed'));
    };
    reply.raw.on('close', () => {
      if (!reply.raw.writableFinished) cancel();
    });

    // The worker answered with an error: nothing left to cancel.
    const finished = (last: ChatReply) => {
      settled = true;
      replies.close();
      if (last.kind === 'error') {
        progress.attempts = last.attempts;
        reply.headers(routeHeaders(plan, last.attempts, false));
      }
      return failureFrom(last, decoded.locations);
    };

    try {
      await producer.enqueue('chat', job, { priority });
      const first = await replies.next();
      const identity: ResponseIdentity = { id: responseId(), created: Math.floor(now / 1000), model: '' };
      if (!job.stream) {
        if (first.kind !== 'result') throw finished(first);
        identity.model = first.servedBy.model;
        settled = true;
        replies.close();
        progress.provider = first.servedBy.provider;
        reply.headers(answerHeaders(request, planned, first, metrics));
        complete('success', 200, first.result.usage);
        return reply.send(toChatCompletion(identity, first.result));
      }
      if (first.kind !== 'stream' || !first.start) throw finished(first);
      identity.model = first.start.servedBy.model;
      progress.provider = first.start.servedBy.provider;
      reply.hijack();
      const headers = answerHeaders(request, planned, first.start, metrics);
      const ending = await relayStream(reply, replies, first, identity, decoded.includeUsage, headers, decoded.locations);
      // A stream that ended on our side (deadline, lost reply) must not keep the upstream call running.
      if (ending.outcome === 'success') {
        settled = true;
        replies.close();
      } else {
        cancel();
      }
      complete(ending.outcome, 200, ending.usage);
      return reply;
    } catch (error) {
      // Before headers: a proper HTTP error. The worker's job is cancelled (deadline, lost reply…).
      cancel();
      throw toGatewayError(error);
    }
  }
}

/**
 * Relays a started stream as SSE, starting with the parts of its first message, until the message
 * with `end`; an `error` part (or a broken reply stream) ends it in-band. The parts of one message
 * leave in one socket write.
 */
async function relayStream(
  reply: FastifyReply,
  replies: ReplyStream,
  first: StreamReply,
  identity: ResponseIdentity,
  includeUsage: boolean,
  headers: Record<string, string>,
  locations: WireLocations,
): Promise<{ outcome: string; usage: Usage | null }> {
  let usage: Usage | null = null;
  const provider = first.start?.servedBy.provider;
  const sse = new SseWriter(reply.raw);
  const encoder = new ChunkEncoder(identity, includeUsage);
  sse.open(headers);
  const chunks: unknown[] = [encoder.roleChunk()];
  let message: StreamReply = first;
  for (;;) {
    for (const part of message.parts) {
      if (part.type === 'error') {
        const failure = toClientParam(GatewayError.fromData({ ...part.error, code: isErrorCode(part.error.code) ? part.error.code : 'internal_error' }), locations);
        reply.log.warn({ code: failure.code, provider: failure.provider ?? provider }, 'stream failed after it started');
        sse.dataBatch(chunks);
        sse.fail(openAIErrorBody(failure));
        return { outcome: failure.code, usage };
      }
      if (part.type === 'finish') usage = part.usage;
      chunks.push(...encoder.encode(part));
    }
    sse.dataBatch(chunks);
    chunks.length = 0;
    if (message.end) {
      sse.done();
      return { outcome: 'success', usage };
    }
    let next: ChatReply;
    try {
      next = await replies.next();
    } catch (error) {
      const failure = toGatewayError(error);
      if (failure.code !== 'request_cancelled') reply.log.warn({ code: failure.code, provider }, 'stream failed after it started');
      sse.fail(openAIErrorBody(failure));
      return { outcome: failure.code, usage };
    }
    if (next.kind !== 'stream') {
      const failure = failureFrom(next, locations);
      reply.log.warn({ code: failure.code, provider: failure.provider ?? provider }, 'stream failed after it started');
      sse.fail(openAIErrorBody(failure));
      return { outcome: failure.code, usage };
    }
    message = next;
  }
}
