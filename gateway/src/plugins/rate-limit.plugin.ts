import { metricNames, type RateLimitBucket, type RateLimitDecision, type RateLimitRule, type RateLimitStore } from '@ailb/shared';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { Counter } from 'prom-client';
import { rateLimitHeaders, rateLimitRefusal } from '../rate-limits/rate-limit-headers.js';
import { RateLimitRules } from '../rate-limits/rate-limit-rules.js';
import { estimateChatTokens, loadedTokenizer, loadTokenizer, type ChatTokenReader } from '../rate-limits/token-estimate.js';
import { TokenReservation } from '../rate-limits/token-reservation.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The deployment's rate-limit rules (config file ⊕ control plane), as the control plane manages them. */
    rateLimits: RateLimitRules;
  }
  interface FastifyRequest {
    /** The tokens this request reserved from token buckets; null when no token limit applied. */
    tokenReservation: TokenReservation | null;
  }
  interface FastifyContextConfig {
    /**
     * Set by chat routes: reads a request's size for token limits. Routes without it are counted by
     * request limits only.
     */
    chatTokens?: ChatTokenReader;
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

const isTokenBucket = (bucket: RateLimitBucket) => bucket.unit === 'tokens';

/**
 * Rate limits on every `/v1/*` request, enforced by all gateways together: the request's buckets
 * (from the cached rules: everything, its model, its client address, its API key and tenant — set
 * by the auth plugin, which runs first) each give what the request takes — one request; on a chat
 * route, its token estimate from token buckets — in one atomic store operation, or the request is
 * refused with 429 `rate_limit_exceeded`. A request no rule applies to costs no store command, and
 * one no token limit applies to no tokenizer work. Runs as a preHandler, once the body (and so the
 * model) is known. What a chat request reserved is settled when it ends (TokenReservation).
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
    app.decorateRequest('tokenReservation', null);
    app.addHook('onClose', async () => rules.close());
    // The tokenizer takes a while to load: not on the first limited request when rules already need it.
    if (rules.index.tokens) await loadTokenizer();

    const { rateLimitDecisions } = metricNames;
    const decisions = new Counter({ name: rateLimitDecisions.name, help: rateLimitDecisions.help, labelNames: rateLimitDecisions.labels, registers: [app.metrics.registry] });
    let lastFailureLog = -Infinity;

    const answer = (reply: FastifyReply, decision: RateLimitDecision): Error | undefined => {
      // On the raw response: a streamed answer writes its head there directly, bypassing reply.headers.
      for (const [name, value] of Object.entries(rateLimitHeaders(decision))) reply.raw.setHeader(name, value);
      decisions.inc({ outcome: decision.allowed ? 'allowed' : 'limited' });
      return decision.allowed ? undefined : rateLimitRefusal(decision);
    };

    const consume = (request: FastifyRequest, reply: FastifyReply, buckets: readonly RateLimitBucket[], tokens: number, done: (error?: Error) => void) => {
      store.consume(buckets, { tokens }).then(
        (decision) => {
          if (decision.allowed && decision.tokens) request.tokenReservation = new TokenReservation(store, buckets.filter(isTokenBucket), tokens, request.log);
          done(answer(reply, decision));
        },
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
    };

    // Callback style: the common case (no rule applies) returns synchronously, without a promise.
    app.addHook('preHandler', (request: FastifyRequest, reply: FastifyReply, done: (error?: Error) => void) => {
      if (rules.index.empty || !request.url.startsWith('/v1/')) return done();
      let buckets = rules.bucketsFor(request.ip, modelNamed(request.body), request.keyId, request.tenant);
      if (buckets.length === 0) return done();
      if (!rules.index.tokens || !buckets.some(isTokenBucket)) return consume(request, reply, buckets, 0, done);
      const read = request.routeOptions.config.chatTokens;
      if (read === undefined) {
        // Token limits count chat requests only; other routes are counted by the request limits.
        buckets = buckets.filter((bucket) => !isTokenBucket(bucket));
        return buckets.length === 0 ? done() : consume(request, reply, buckets, 0, done);
      }
      const input = read(request.body);
      const count = loadedTokenizer();
      if (count !== undefined) return consume(request, reply, buckets, estimateChatTokens(input, count), done);
      loadTokenizer().then(
        (loaded) => consume(request, reply, buckets, estimateChatTokens(input, loaded), done),
        (error: unknown) => done(error instanceof Error ? error : new Error(String(error))),
      );
    });

    // A request that fails before its chat exchange settles (its body refused, say) gives its tokens back.
    app.addHook('onError', (request, _reply, _error, done) => {
      request.tokenReservation?.settle(null);
      done();
    });
  },
  { name: 'ailb-rate-limit', dependencies: ['ailb-control-changes', 'ailb-metrics'] },
);
