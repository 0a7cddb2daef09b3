import type { AttemptRecord, LedgerEntry, RoutingPlan } from '@ailb/shared';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { ChatEnding, ChatExchange } from '../chat/chat-pipeline.js';

/**
 * Probes a kubelet or Prometheus calls every few seconds: their line is `debug`, or a cluster's logs
 * would be mostly readiness checks. Everything else is `info`.
 */
const PROBE_ROUTES: ReadonlySet<string> = new Set(['/healthz', '/readyz', '/metrics']);

const MESSAGE = 'request completed';

/** Milliseconds since `from` (performance.now()), to 0.01 ms. */
const since = (from: number): number => Math.round((performance.now() - from) * 100) / 100;

/** The fields every line has. */
interface BaseLine {
  requestId: string;
  keyId: string | null;
  tenant: string;
  method: string;
  /** The route pattern (`/v1/models/:model`), never the raw URL with its ids and query; null when no route matched (404). */
  route: string | null;
  status: number;
  latencyMs: number;
  [field: string]: unknown;
}

// `request.routeOptions` builds an object on each read (~0.1 µs): read once per line.
function baseLine(request: FastifyRequest, route: string | undefined, status: number): BaseLine {
  return {
    requestId: request.id,
    keyId: request.keyId ?? null,
    tenant: request.tenant,
    method: request.method,
    route: route ?? null,
    status,
    latencyMs: since(request.receivedAt),
  };
}

/** `provider/model` of an attempt. */
const targetOf = (attempt: Pick<AttemptRecord, 'provider' | 'model'>): string => `${attempt.provider}/${attempt.model}`;

/** What the routing plan offered and left out, for `debug`. */
function planFields(plan: RoutingPlan | undefined, exchange: ChatExchange): Record<string, unknown> | null {
  if (plan) return { strategy: plan.strategy, candidates: plan.targets.map(targetOf), excluded: (plan.excluded ?? []).map((left) => ({ target: targetOf(left), reason: left.reason })) };
  const refusal = exchange.refusal;
  if (refusal) return { strategy: refusal.strategy ?? 'unknown', candidates: [], excluded: refusal.excluded.map((left) => ({ target: targetOf(left), reason: left.reason })) };
  return null;
}

/**
 * One JSON line per HTTP request, written when the request is over: at `info`, who (request id, key
 * id, tenant), what (method, route pattern), how it ended (status, latency) and, for a chat request,
 * the model, the target that served, the attempts, the tokens and the cost; at `debug`, what an
 * operator debugging a route needs (the plan's candidates and exclusions, each attempt, the request's
 * headers — their credentials censored by the logger's redact configuration).
 *
 * Cost on the answer's path: none. A plain request's line is written when its response closes; a
 * chat request's when the cost ledger has priced it (after the answer left). One object and one pino
 * call each; no body is serialised.
 */
export class RequestLog {
  /** The app's root logger: the line names the request itself, without Fastify's per-request `reqId` child. */
  constructor(private readonly log: Pick<Logger, 'info' | 'debug' | 'isLevelEnabled'>) {}

  /** The response of `request` closed (sent in full, or the client left). Chat requests are logged by {@link chat}. */
  closed(request: FastifyRequest, reply: FastifyReply): void {
    if (request.chatLogged) return;
    const log = this.log;
    const route = request.routeOptions.url;
    const probe = route !== undefined && PROBE_ROUTES.has(route);
    if (!log.isLevelEnabled(probe ? 'debug' : 'info')) return;
    const line = baseLine(request, route, reply.raw.statusCode);
    // The client left before the answer was complete: the status is what was about to be sent.
    if (!reply.raw.writableFinished) line.clientGone = true;
    if (log.isLevelEnabled('debug')) line.headers = request.headers;
    if (probe) log.debug(line, MESSAGE);
    else log.info(line, MESSAGE);
  }

  /**
   * A chat request ended (its exchange finished); `priced` is what the cost ledger made of its
   * attempts. The line waits for the price, never the client. Streams end here too, once the last
   * event is sent: status 200 even when the stream ended with an in-band error (`outcome` says which).
   */
  chat(request: FastifyRequest, exchange: ChatExchange, ending: ChatEnding, priced: Promise<readonly LedgerEntry[]>): void {
    const log = this.log;
    if (!log.isLevelEnabled('info')) return;
    const line = baseLine(request, request.routeOptions.url, ending.status);
    const attempts = exchange.attempts;
    const last = attempts.at(-1);
    line.model = exchange.request.model;
    line.target = last?.outcome === 'success' ? targetOf(last) : 'none';
    line.attempts = attempts.length;
    line.stream = exchange.request.stream;
    line.outcome = ending.outcome;
    line.inputTokens = ending.usage?.inputTokens ?? null;
    line.outputTokens = ending.usage?.outputTokens ?? null;
    if (log.isLevelEnabled('debug')) {
      line.plan = planFields(exchange.plan, exchange);
      line.attemptDetails = attempts.map((attempt) => ({ target: targetOf(attempt), outcome: attempt.outcome, durationMs: attempt.durationMs }));
      line.headers = request.headers;
    }
    void priced.then((entries) => {
      line.costUsd = costUsd(entries);
      log.info(line, MESSAGE);
    });
  }
}

/** The request's cost in USD: the sum of its priced entries; null when the serving target has no known price. */
function costUsd(entries: readonly LedgerEntry[]): number | null {
  let nanoUsd = 0;
  for (const entry of entries) {
    if (entry.served && entry.unpriced) return null;
    nanoUsd += entry.costNanoUsd;
  }
  return nanoUsd / 1e9;
}
