import { randomUUID } from 'node:crypto';
import {
  CHAT_JOB_VERSION,
  DEFAULT_TENANT,
  errorCatalog,
  GatewayError,
  isErrorCode,
  toGatewayError,
  type AttemptRecord,
  type ChatCall,
  type ChatJob,
  type ChatReply,
  type JobPriority,
  type LedgerEntry,
  type RequestTrace,
  type RoutingPlan,
  type ScanPolicy,
  type ServedBy,
  type StreamReply,
  type Usage,
} from '@ailb/shared';
import type { FastifyBaseLogger } from 'fastify';
import type { GatewayMetrics } from '../observability/gateway-metrics.js';
import type { TraceRecorder } from '../observability/trace-recorder.js';
import type { ModelCatalog } from '../routing/model-catalog.js';
import { RoutingRefusal } from '../routing/health-filter.js';
import type { LedgerRecorder } from '../usage/ledger-recorder.js';
import type { ContextAsk, ContextStage, PreparedContext } from './context-stage.js';
import type { Dispatched, Dispatcher } from './dispatcher.js';
import type { ScanStage } from './scan-stage.js';

/** A chat request as the stages between the edges see it: no wire format, only the spec and HTTP facts. */
export interface ChatRequest {
  requestId: string;
  /** performance.now() when the request arrived. */
  receivedAt: number;
  /** The public model name asked for. */
  model: string;
  stream: boolean;
  priority: JobPriority;
  call: ChatCall;
  /** The client asked for this request's routing trace to be kept (`x-ailb-trace`). */
  traceRequested: boolean;
  log: FastifyBaseLogger;
  /** Adds headers to the HTTP answer, before it starts. */
  setHeaders(headers: Record<string, string>): void;
  /** Registers what to do when the client goes away before the answer is complete. */
  onClientGone(listener: () => void): void;
  /** Memory and RAG the request asks for (none: the embedder is not involved). */
  context?: ContextAsk;
  /** The API key's prompt-scanning policy; null or absent: the configured default. */
  scanPolicy?: ScanPolicy | null;
  /** The API key's id and tenant, for the cost ledger; absent: no key (open gateway, master key), tenant `default`. */
  keyId?: string | undefined;
  tenant?: string;
  /** Settles the tokens the rate limiter reserved with the reported usage (null: none reported); absent when no token limit applied. */
  settleTokens?: ((usage: Usage | null) => void) | undefined;
  /** Called once when the request ends, with what the cost ledger priced (for the request's log line; resolves after the answer left). */
  ended?(exchange: ChatExchange, ending: ChatEnding, priced: Promise<readonly LedgerEntry[]>): void;
}

/** How a request ended, for metrics and its trace. */
export interface ChatEnding {
  /** `success` or the error code. */
  outcome: string;
  status: number;
  usage: Usage | null;
}

type ResultReply = Extract<ChatReply, { kind: 'result' }>;

/** A request that got its first answer: a whole result, or a stream that started. */
export type OpenedChat = { kind: 'result'; exchange: ChatExchange; reply: ResultReply } | { kind: 'stream'; exchange: ChatExchange; first: StreamReply };

/** What a gateway without a cost ledger prices. */
const NOTHING_PRICED: Promise<readonly LedgerEntry[]> = Promise.resolve([]);

const milliseconds = (value: number) => Math.max(0, value).toFixed(2);

/**
 * One request's way through the stages after decoding: its plan, its job, its attempts so far. Its end
 * (`finish`) goes to metrics and to the trace, and gives back probe claims no attempt used.
 */
export class ChatExchange {
  readonly jobId = randomUUID();
  private readonly startedAt = Date.now();
  plan: RoutingPlan | undefined;
  attempts: readonly AttemptRecord[] = [];
  provider = 'none';
  dispatched: Dispatched | undefined;
  /** Why health refused the request before a plan existed, if it did. */
  refusal: RoutingRefusal | undefined;
  /** The session the completed turn goes to, and the answer's text gathered for it. */
  memory: { target: NonNullable<PreparedContext['remember']>; text: string } | undefined;
  private servedModel = '';
  /** The version of the worker that answered with an error, for the error's headers. */
  private errorWorkerVersion: string | undefined;
  private finished = false;

  constructor(
    readonly request: ChatRequest,
    private readonly stages: ChatStages,
  ) {}

  /** The decision as headers: strategy, the target that answered, every attempt (answers and errors alike). */
  routeHeaders(served: boolean): Record<string, string> {
    const plan = this.plan;
    // Refused by health before a plan existed: the route's strategy is known, nothing was tried.
    if (!plan) return this.refusal?.strategy ? { 'x-ailb-route': `strategy=${this.refusal.strategy}; target=none; attempts=0` } : {};
    const last = this.attempts.at(-1);
    const target = served && last ? `${last.provider}/${last.model}` : 'none';
    return {
      'x-ailb-route': `strategy=${plan.strategy}; target=${target}; attempts=${this.attempts.length}`,
      'x-ailb-attempts': this.attemptsList(),
    };
  }

  /** The `x-ailb-attempts` trailer of a stream: every attempt as it ended, continuations included. */
  attemptsTrailer(): Record<string, string> {
    return { 'x-ailb-attempts': this.attemptsList() };
  }

  private attemptsList(): string {
    return this.attempts.map((attempt) => `${attempt.provider}/${attempt.model}=${attempt.outcome};${attempt.durationMs}ms`).join(', ');
  }

  /** Headers of an error answered before any output: the route's, and the version of the worker that answered it, if one did. */
  errorHeaders(): Record<string, string> {
    const headers = this.routeHeaders(false);
    if (this.errorWorkerVersion !== undefined) headers['x-ailb-worker-version'] = this.errorWorkerVersion;
    return headers;
  }

  /**
   * Headers of a successful answer, taken at the moment it starts; records the overhead they report.
   * `warnings` (already in the client's words) say what the serving deployment could not do as asked.
   */
  answerHeaders(served: { servedBy: ServedBy; attempts: AttemptRecord[] }, warnings: readonly string[] = []): Record<string, string> {
    this.attempts = served.attempts;
    this.provider = served.servedBy.provider;
    this.servedModel = served.servedBy.model;
    const overheadMs = performance.now() - this.request.receivedAt - served.servedBy.upstreamMs;
    this.stages.metrics.recordServed(served.servedBy.provider, this.request.stream, overheadMs, served.servedBy.upstreamMs);
    const headers: Record<string, string> = { 'x-request-id': this.request.requestId, 'x-ailb-provider': served.servedBy.provider, 'x-ailb-overhead-ms': milliseconds(overheadMs), ...this.routeHeaders(true) };
    if (warnings.length > 0) headers['x-ailb-warnings'] = warnings.join(', ');
    if (served.servedBy.workerVersion !== undefined) headers['x-ailb-worker-version'] = served.servedBy.workerVersion;
    return headers;
  }

  /** The next reply of a stream, in order. */
  next(): Promise<ChatReply> {
    if (!this.dispatched) return Promise.reject(new GatewayError('internal_error', 'The request was never dispatched.'));
    const next = this.dispatched.replies.next();
    return this.memory ? next.then((reply) => this.gather(reply)) : next;
  }

  /** Keeps the answer's text for memory: the result's text, or a stream's text deltas as they pass. */
  private gather(reply: ChatReply): ChatReply {
    const memory = this.memory!;
    if (reply.kind === 'result') {
      memory.text = reply.result.content.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('');
    } else if (reply.kind === 'stream') {
      for (const part of reply.parts) if (part.type === 'text-delta') memory.text += part.delta;
    }
    return reply;
  }

  /** Records the end of the request (once): metrics, trace, probe claims; stops waiting for the worker. */
  finish(ending: ChatEnding): void {
    if (this.finished) return;
    this.finished = true;
    this.request.settleTokens?.(ending.usage);
    if (ending.outcome === 'success') this.dispatched?.settle();
    else this.dispatched?.cancel();
    const { metrics, traces, catalog, context } = this.stages;
    // Only a completed answer is remembered, never one cut short.
    if (ending.outcome === 'success' && this.memory && context) {
      context.remember(this.memory.target, { text: this.memory.text, model: this.servedModel, provider: this.provider, usage: ending.usage }, this.request.log);
    }
    const plan = this.plan;
    metrics.recordOutcome({ model: plan?.requestedModel ?? 'unknown', provider: this.provider, stream: this.request.stream, outcome: ending.outcome }, ending.usage);
    // Every attempt to the cost ledger, written after the answer has left (never awaited here).
    const priced = this.stages.ledger?.record({
      requestId: this.request.requestId,
      keyId: this.request.keyId ?? null,
      tenant: this.request.tenant ?? DEFAULT_TENANT,
      model: plan?.requestedModel ?? this.request.model,
      attempts: this.attempts,
      outcome: ending.outcome,
      usage: ending.usage,
      endedAt: Date.now(),
    });
    this.request.ended?.(this, ending, priced ?? NOTHING_PRICED);
    if (plan) {
      const attempted = new Set(this.attempts.map((attempt) => `${attempt.provider}/${attempt.model}`));
      void catalog.releaseUnusedProbes(plan, this.jobId, attempted);
    }
    // A request health refused has no plan, but its trace says which targets were left out and why.
    const refusal = this.refusal;
    const routed = plan ?? (refusal && { requestedModel: this.request.model, strategy: refusal.strategy ?? 'unknown', targets: [], excluded: refusal.excluded });
    if (!routed) return;
    const trace: RequestTrace = {
      request_id: this.request.requestId,
      tenant: this.request.tenant ?? DEFAULT_TENANT,
      key_id: this.request.keyId ?? null,
      model: routed.requestedModel,
      strategy: routed.strategy,
      stream: this.request.stream,
      outcome: ending.outcome,
      status: ending.status,
      started_at: new Date(this.startedAt).toISOString(),
      duration_ms: Date.now() - this.startedAt,
      candidates: [...routed.targets, ...(routed.excluded ?? [])].map(({ provider, model }) => ({ provider, model })),
      excluded: routed.excluded ?? [],
      attempts: this.attempts.map(({ provider, model, outcome, durationMs }) => ({
        provider,
        model,
        outcome,
        // The status the attempt's outcome maps to on AILB's wire (200 for the one that served).
        status: isErrorCode(outcome) ? errorCatalog[outcome].status : 200,
        duration_ms: durationMs,
      })),
    };
    if (traces.keeps(trace, this.request.traceRequested)) traces.record(trace, this.request.log);
  }

  /** The worker's answer was not what the request waits for: an error reply, or a reply of the wrong kind. */
  unexpected(reply: ChatReply): GatewayError {
    if (reply.kind === 'error') {
      this.attempts = reply.attempts;
      this.errorWorkerVersion = reply.workerVersion;
      return GatewayError.fromData(reply.error);
    }
    return new GatewayError('internal_error', `Unexpected '${reply.kind}' reply from the worker.`);
  }
}

/** What the pipeline is made of: each stage is a plugin of the app. */
export interface ChatStages {
  catalog: ModelCatalog;
  dispatcher: Dispatcher;
  metrics: GatewayMetrics;
  traces: TraceRecorder;
  /** Memory and RAG; absent, requests asking for them go on without context. */
  context?: ContextStage;
  /** Prompt scanning; absent, prompts are not scanned. */
  scan?: ScanStage;
  /** The cost ledger; absent, nothing is billed. */
  ledger?: LedgerRecorder;
}

/**
 * The stages every wire format shares, after its codec decoded a request and before it encodes the
 * answer: plan the route, dispatch the job, wait for the first answer. A failure before the answer
 * starts is thrown as a catalog error with the route's headers set; it has been recorded already.
 */
export class ChatPipeline {
  constructor(private readonly stages: ChatStages) {}

  async open(request: ChatRequest): Promise<OpenedChat> {
    const exchange = new ChatExchange(request, this.stages);
    const { catalog, dispatcher } = this.stages;
    // Listening from the start: a client gone while the plan is made or the job enqueued must still
    // cancel the job, or the upstream call runs (and is paid for) with nobody waiting.
    let clientGone = false;
    request.onClientGone(() => {
      clientGone = true;
      exchange.finish({ outcome: 'request_cancelled', status: errorCatalog.request_cancelled.status, usage: null });
    });
    const stopIfClientGone = () => {
      if (clientGone) throw new GatewayError('request_cancelled', 'The client closed the connection.');
    };
    try {
      // Scanned first: what the client sent, before AILB adds memory and RAG text of its own.
      let call = this.stages.scan ? this.stages.scan.inspect(request) : request.call;
      if (request.context && this.stages.context) {
        const prepared = await this.stages.context.prepare(call, request.context, request.log);
        if (prepared) {
          call = prepared.call;
          request.setHeaders(prepared.headers);
          if (prepared.remember) exchange.memory = { target: prepared.remember, text: '' };
        }
      }
      exchange.plan = await catalog.plan(request.model, { stream: request.stream, claimId: exchange.jobId });
      await dispatcher.ensureWorkers();
      stopIfClientGone();
      const now = Date.now();
      const job: ChatJob = {
        version: CHAT_JOB_VERSION,
        jobId: exchange.jobId,
        requestId: request.requestId,
        replyTo: dispatcher.producer.replyChannel,
        deadlineAt: now + dispatcher.requestTimeoutMs,
        enqueuedAt: now,
        stream: request.stream,
        priority: request.priority,
        call,
        plan: exchange.plan,
      };
      exchange.dispatched = await dispatcher.dispatch(job, request.priority, (error) => request.log.warn({ err: error }, 'cancel failed'));
      if (clientGone) {
        // finish() ran before there was a job to cancel.
        exchange.dispatched.cancel();
        stopIfClientGone();
      }
      const first = await exchange.next();
      if (!request.stream) {
        if (first.kind !== 'result') throw exchange.unexpected(first);
        return { kind: 'result', exchange, reply: first };
      }
      if (first.kind !== 'stream' || !first.start) throw exchange.unexpected(first);
      return { kind: 'stream', exchange, first };
    } catch (error) {
      const failure = toGatewayError(error);
      if (failure instanceof RoutingRefusal) exchange.refusal = failure;
      if (failure.provider) exchange.provider = failure.provider;
      request.setHeaders(exchange.errorHeaders());
      exchange.finish({ outcome: failure.code, status: failure.status, usage: null });
      throw failure;
    }
  }
}
