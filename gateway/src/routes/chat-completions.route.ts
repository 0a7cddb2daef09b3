import { randomBytes, randomUUID } from 'node:crypto';
import {
  chatCompletionRequestSchema,
  GatewayError,
  splitExtensions,
  toGatewayError,
  type ChatJob,
  type AttemptRecord,
  type ChatReply,
  type RoutingPlan,
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
  requestTimeoutMs: number;
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
function answerHeaders(request: FastifyRequest, plan: RoutingPlan, first: Served, stream: boolean, metrics: GatewayMetrics): Record<string, string> {
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

function failureFrom(reply: ChatReply): GatewayError {
  if (reply.kind === 'error') return GatewayError.fromData(reply.error);
  return new GatewayError('internal_error', `Unexpected '${reply.kind}' reply from the worker.`);
}

/** POST /v1/chat/completions: validate, plan, enqueue, and relay the worker's answer. */
export function registerChatCompletionsRoute(app: FastifyInstance, dependencies: ChatRouteDependencies): void {
  const { catalog, producer, workers, metrics, requestTimeoutMs } = dependencies;

  app.post('/v1/chat/completions', async (request: FastifyRequest, reply: FastifyReply) => {
    // Labels stay bounded: an unresolved model name is client input, so it is never a label value.
    const labels = { model: 'unknown', provider: 'none', stream: false, outcome: 'success' };
    try {
      return await handleChat(request, reply, labels);
    } catch (error) {
      const failure = toGatewayError(error);
      metrics.recordOutcome({ ...labels, provider: failure.provider ?? labels.provider, outcome: failure.code });
      throw failure;
    }
  });

  async function handleChat(request: FastifyRequest, reply: FastifyReply, labels: { model: string; provider: string; stream: boolean; outcome: string }) {
    const parsed = chatCompletionRequestSchema.safeParse(request.body);
    if (!parsed.success) throw validationError(parsed.error, request.body);
    const { body, extensions } = splitExtensions(parsed.data);
    const sessionHeader = request.headers['x-session-id'];
    if (extensions.session_id === undefined && typeof sessionHeader === 'string' && sessionHeader !== '') {
      extensions.session_id = sessionHeader.slice(0, 256);
    }

    labels.stream = body.stream === true;
    const plan = await catalog.plan(body.model, { stream: body.stream === true });
    labels.model = plan.requestedModel;
    if ((await workers.liveWorkers()) === 0) {
      throw new GatewayError('no_worker_available', 'No worker is available to serve the request; try again shortly.', { retryAfterMs: 1000 });
    }
    const now = Date.now();
    // Validated by the producer before it leaves (and again by the worker on receipt).
    const job: ChatJob = {
      version: 1,
      jobId: randomUUID(),
      requestId: request.id,
      replyTo: producer.replyChannel,
      deadlineAt: now + requestTimeoutMs,
      enqueuedAt: now,
      stream: body.stream === true,
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
      if (last.kind === 'error') reply.headers(routeHeaders(plan, last.attempts, false));
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
        labels.provider = first.servedBy.provider;
        reply.headers(answerHeaders(request, plan, first, false, metrics));
        metrics.recordOutcome(labels, first.result.usage);
        return reply.send(toChatCompletion(identity, first.result));
      }
      if (first.kind !== 'start') throw finished(first);
      identity.model = first.servedBy.model;
      labels.provider = first.servedBy.provider;
      reply.hijack();
      const headers = answerHeaders(request, plan, first, true, metrics);
      const ending = await relayStream(reply, replies, first.servedBy, identity, body.stream_options?.include_usage === true, headers);
      // A stream that ended on our side (deadline, lost reply) must not keep the upstream call running.
      if (ending.outcome === 'success') {
        settled = true;
        replies.close();
      } else {
        cancel();
      }
      metrics.recordOutcome({ ...labels, outcome: ending.outcome }, ending.usage);
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
