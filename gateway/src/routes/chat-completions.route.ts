import { randomBytes, randomUUID } from 'node:crypto';
import {
  chatCompletionRequestSchema,
  errorCatalog,
  isErrorCode,
  jobPrioritySchema,
  GatewayError,
  splitExtensions,
  toGatewayError,
  type ChatJob,
  type AttemptRecord,
  type ChatReply,
  type JobPriority,
  type RequestTrace,
  type RoutingPlan,
  type TraceStore,
  type JobProducer,
  type Usage,
} from '@ailb/shared';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ChunkFormatter, toChatCompletion, type ResponseIdentity } from '../chat/openai-format.js';
import { ReplyStream } from '../chat/reply-stream.js';
import { SseWriter } from '../chat/sse-writer.js';
import { validationError } from '../errors/validation-error.js';
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

type Served = Extract<ChatReply, { kind: 'result' | 'start' }>;

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

function failureFrom(reply: ChatReply): GatewayError {
  if (reply.kind === 'error') return GatewayError.fromData(reply.error);
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
    const parsed = chatCompletionRequestSchema.safeParse(request.body);
    if (!parsed.success) throw validationError(parsed.error, request.body);
    const { body, extensions } = splitExtensions(parsed.data);
    const sessionHeader = request.headers['x-session-id'];
    if (extensions.session_id === undefined && typeof sessionHeader === 'string' && sessionHeader !== '') {
      extensions.session_id = sessionHeader.slice(0, 256);
    }

    // All input is checked before planning, which may claim a half-open target's single probe.
    const priority = jobPriority(request.headers['x-ailb-priority']);
    progress.stream = body.stream === true;
    const plan = await catalog.plan(body.model, { stream: progress.stream, claimId: progress.jobId });
    const planned = Object.assign(progress, { plan, model: plan.requestedModel });
    if ((await workers.liveWorkers()) === 0) {
      throw new GatewayError('no_worker_available', 'No worker is available to serve the request; try again shortly.', { retryAfterMs: 1000 });
    }
    const now = Date.now();
    // Validated by the producer before it leaves (and again by the worker on receipt).
    const job: ChatJob = {
      version: 1,
      jobId: progress.jobId,
      requestId: request.id,
      replyTo: producer.replyChannel,
      deadlineAt: now + requestTimeoutMs,
      enqueuedAt: now,
      stream: body.stream === true,
      priority,
      request: body,
      extensions,
      plan,
    };

    // Listen before enqueueing: a fast worker may answer before `enqueue` resolves.
    const replies = new ReplyStream(producer, job.jobId, job.deadlineAt);
    let settled = false;
    const cancel = () => {
      if (settled) return;
      settled = true;
      replies.close();
      producer.cancel(job.jobId).catch((error: unknown) => request.log.warn({ err: error }, 'cancel failed'));
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
      return failureFrom(last);
    };

    try {
      await producer.enqueue(job);
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
      if (first.kind !== 'start') throw finished(first);
      identity.model = first.servedBy.model;
      progress.provider = first.servedBy.provider;
      reply.hijack();
      const headers = answerHeaders(request, planned, first, metrics);
      const ending = await relayStream(reply, replies, first.servedBy, identity, body.stream_options?.include_usage === true, headers);
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

/** Relays a started stream as SSE until `end` or an error, which then travels in-band. */
async function relayStream(
  reply: FastifyReply,
  replies: ReplyStream,
  servedBy: Served['servedBy'],
  identity: ResponseIdentity,
  includeUsage: boolean,
  headers: Record<string, string>,
): Promise<{ outcome: string; usage: Usage | null }> {
  let usage: Usage | null = null;
  const sse = new SseWriter(reply.raw);
  const formatter = new ChunkFormatter(identity, includeUsage);
  sse.open(headers);
  sse.data(formatter.roleChunk());
  for (;;) {
    let next: ChatReply;
    try {
      next = await replies.next();
    } catch (error) {
      const failure = toGatewayError(error);
      if (failure.code !== 'request_cancelled') {
        reply.log.warn({ code: failure.code, provider: servedBy.provider }, 'stream failed after it started');
      }
      sse.fail(failure.toBody());
      return { outcome: failure.code, usage };
    }
    if (next.kind === 'parts') {
      for (const part of next.parts) {
        if (part.type === 'finish') usage = part.usage;
        for (const chunk of formatter.format(part)) sse.data(chunk);
      }
    } else if (next.kind === 'end') {
      sse.done();
      return { outcome: 'success', usage };
    } else {
      const failure = failureFrom(next);
      reply.log.warn({ code: failure.code, provider: failure.provider ?? servedBy.provider }, 'stream failed after it started');
      sse.fail(failure.toBody());
      return { outcome: failure.code, usage };
    }
  }
}
