import { GatewayError, metricNames, type RateLimitDecision, type RateLimitRule, type RateLimitStore } from '@ailb/shared';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { Counter } from 'prom-client';
import { describeLimit, openAIDuration, rateLimitHeaders } from '../rate-limits/rate-limit-headers.js';
import { RateLimitRules } from '../rate-limits/rate-limit-rules.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The deployment's rate-limit rules (config file ⊕ control plane), as the control plane manages them. */
    rateLimits: RateLimitRules;
  }
}

export interface RateLimitPluginOptions {
  /** Rules set over the control plane and the token buckets (Redis in split mode). */
  store: RateLimitStore;
  /** Rules of the config file. */
  configRules: readonly RateLimitRule[];
}

/** How often a failing store is reported in the log (every request would flood it). */
const STORE_FAILURE_LOG_INTERVAL_MS = 10_000;

/** The public model a request names, when its JSON body has one (chat completions, embeddings). */
function modelNamed(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const model = (body as { model?: unknown }).model;
  return typeof model === 'string' ? model : undefined;
}

/**
 * Rate limits on every `/v1/*` request, enforced by all gateways together: the request's buckets
 * (from the cached rules: everything, its model, its client address, its API key and tenant — set
 * by the auth plugin, which runs first) each give one token in one
 * atomic store operation, or the request is refused with 429 `rate_limit_exceeded`. A request no
 * rule applies to costs no store command. Runs as a preHandler, once the body (and so the model) is
 * known.
 *
 * If the store fails (Redis unreachable), the request goes through: fail-open. The limiter guards
 * budgets; it is not worth turning a state-store blip into refusing all traffic, and in split mode a
 * Redis that is really down fails the dispatch anyway with its own error. Failures are counted
 * (`ailb_rate_limit_decisions_total{outcome="error"}`) and logged at most every 10 s.
 */
export const rateLimitPlugin = fp<RateLimitPluginOptions>(
  async (app, { store, configRules }) => {
    const rules = new RateLimitRules({ store, changes: app.controlChanges, configRules, logger: app.log });
    await rules.start();
    app.decorate('rateLimits', rules);
    app.addHook('onClose', async () => rules.close());

    const { rateLimitDecisions } = metricNames;
    const decisions = new Counter({ name: rateLimitDecisions.name, help: rateLimitDecisions.help, labelNames: rateLimitDecisions.labels, registers: [app.metrics.registry] });
    let lastFailureLog = -Infinity;

    const answer = (reply: FastifyReply, decision: RateLimitDecision): GatewayError | undefined => {
      // On the raw response: a streamed answer writes its head there directly, bypassing reply.headers.
      for (const [name, value] of Object.entries(rateLimitHeaders(decision))) reply.raw.setHeader(name, value);
      decisions.inc({ outcome: decision.allowed ? 'allowed' : 'limited' });
      if (decision.allowed) return undefined;
      return new GatewayError(
        'rate_limit_exceeded',
        `Rate limit reached for requests: rule "${decision.bucket.ruleId}" allows ${describeLimit(decision)}. Please try again in ${openAIDuration(decision.retryAfterMs)}.`,
        { retryAfterMs: decision.retryAfterMs },
      );
    };

    // Callback style: the common case (no rule applies) returns synchronously, without a promise.
    app.addHook('preHandler', (request: FastifyRequest, reply: FastifyReply, done: (error?: Error) => void) => {
      if (rules.index.empty || !request.url.startsWith('/v1/')) return done();
      const buckets = rules.bucketsFor(request.ip, modelNamed(request.body), request.keyId, request.tenant);
      if (buckets.length === 0) return done();
      store.consume(buckets).then(
        (decision) => done(answer(reply, decision)),
        (error: unknown) => {
          decisions.inc({ outcome: 'error' });
          const now = Date.now();
          if (now - lastFailureLog >= STORE_FAILURE_LOG_INTERVAL_MS) {
            lastFailureLog = now;
            request.log.warn({ err: error }, 'rate-limit store failed: requests go through unlimited until it answers again');
          }
          done();
        },
      );
    });
  },
  { name: 'ailb-rate-limit', dependencies: ['ailb-control-changes', 'ailb-metrics'] },
);
