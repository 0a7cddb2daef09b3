import { z } from 'zod';
import type { CircuitPolicy } from '../state/circuit.js';

/** Provider types AILB has adapters for. `openai` also covers any OpenAI-compatible server. */
export const providerTypeSchema = z.enum(['openai', 'anthropic', 'ollama']);
export type ProviderType = z.infer<typeof providerTypeSchema>;

/** Routing strategy names (the routing issue gives each its behaviour). */
export const routingStrategySchema = z.enum([
  'round_robin',
  'cost_optimized',
  'latency_optimized',
  'load_balanced',
  'failover',
  'random',
]);
export type RoutingStrategy = z.infer<typeof routingStrategySchema>;

/** One provider deployment, as written in the YAML config's `providers:` list. */
export const providerConfigSchema = z.strictObject({
  /** Unique id; clients may select it explicitly as `id/model`. */
  id: z.string().regex(/^[a-zA-Z0-9._-]+$/, 'must be letters, digits, ".", "_" or "-"'),
  type: providerTypeSchema,
  /** API base URL. Defaults per type (OpenAI's and Anthropic's public APIs); required for ollama. */
  base_url: z.url().optional(),
  /** Credential; supports `${ENV}` interpolation. Not needed for ollama. */
  api_key: z.string().min(1).optional(),
  /** Models served. When absent, workers discover them from the provider's model list. */
  models: z.array(z.string().min(1)).min(1).optional(),
  /** Anthropic requires max_tokens; this is sent when the client gives none. */
  default_max_tokens: z.number().int().min(1).default(4096),
});
export type ProviderConfig = z.infer<typeof providerConfigSchema>;

/** Price of one target in USD per 1M tokens, as written in a route's `targets[].price`. */
export const tokenPriceSchema = z.strictObject({
  input: z.number().min(0),
  output: z.number().min(0),
});
export type TokenPrice = z.infer<typeof tokenPriceSchema>;

/**
 * Time limits of one upstream attempt, in milliseconds (`routing.timeouts`, or per target). Connect
 * and total apply to every attempt; first token and stall to streams.
 */
export const timeoutsConfigSchema = z.strictObject({
  connect_ms: z.number().int().min(1).optional(),
  first_token_ms: z.number().int().min(1).optional(),
  stall_ms: z.number().int().min(1).optional(),
  total_ms: z.number().int().min(1).optional(),
});
export type TimeoutsConfig = z.infer<typeof timeoutsConfigSchema>;

/** Retries of retryable failures on the same target (`routing.retries`). */
export const retriesConfigSchema = z.strictObject({
  max_attempts_per_target: z.number().int().min(1).max(10).optional(),
  backoff_base_ms: z.number().int().min(0).optional(),
  backoff_max_ms: z.number().int().min(0).optional(),
});

/** One target of a route: a provider deployment and the upstream model to send it. */
export const routeTargetConfigSchema = z.strictObject({
  /** A provider `id` from `providers:`. */
  provider: z.string().min(1),
  /** The model name sent upstream. */
  model: z.string().min(1),
  /** `failover` tries lower values first. @defaultValue 0 */
  priority: z.number().int().min(0).default(0),
  /** Relative share under `random`; 0 means "only when every other target is exhausted". @defaultValue 1 */
  weight: z.number().min(0).default(1),
  /** Overrides the built-in price table for `cost_optimized`. */
  price: tokenPriceSchema.optional(),
  /** Attempts in flight on this target across every worker; enforced atomically by workers. */
  max_concurrency: z.number().int().min(1).optional(),
  /** Overrides `routing.timeouts` for this target. */
  timeouts: timeoutsConfigSchema.optional(),
});
export type RouteTargetConfig = z.infer<typeof routeTargetConfigSchema>;

/** One public model name and where it may be served, as written in the YAML config's `routes:` list. */
export const routeConfigSchema = z.strictObject({
  /** The public name clients send; overrides a default route of the same name. */
  model: z.string().min(1),
  /** Overrides `routing.strategy` for this route. */
  strategy: routingStrategySchema.optional(),
  targets: z.array(routeTargetConfigSchema).min(1),
  /** Other public routes whose targets are tried after this route's own. @defaultValue [] */
  fallbacks: z.array(z.string().min(1)).default([]),
  /** The route used when a request exceeds a target's context window. */
  context_fallback: z.string().min(1).optional(),
});
export type RouteConfig = z.infer<typeof routeConfigSchema>;

/** The YAML file named by AILB_CONFIG. Every key is optional; env vars fill the same structure. */
export const configFileSchema = z.strictObject({
  providers: z.array(providerConfigSchema).optional(),
  routes: z.array(routeConfigSchema).optional(),
  routing: z
    .strictObject({
      strategy: routingStrategySchema.optional(),
      timeouts: timeoutsConfigSchema.optional(),
      retries: retriesConfigSchema.optional(),
      circuit: z
        .strictObject({
          failure_threshold: z.number().int().min(1).optional(),
          cooldown_ms: z.number().int().min(100).optional(),
          error_rate_threshold: z.number().gt(0).max(1).optional(),
          min_samples: z.number().int().min(1).optional(),
        })
        .optional(),
      ewma_alpha: z.number().gt(0).max(1).optional(),
    })
    .optional(),
  server: z
    .strictObject({
      http_port: z.number().int().min(0).max(65535).optional(),
      http_host: z.string().min(1).optional(),
      grpc_port: z.number().int().min(0).max(65535).optional(),
      body_limit_bytes: z.number().int().min(1024).optional(),
      request_timeout_ms: z.number().int().min(100).optional(),
    })
    .optional(),
  worker: z.strictObject({ concurrency: z.number().int().min(1).max(10_000).optional(), lock_ms: z.number().int().min(1000).optional() }).optional(),
});
export type ConfigFile = z.infer<typeof configFileSchema>;

/** The fully resolved configuration every process runs on. */
export interface AppConfig {
  moduleId: string;
  http: { host: string; port: number; bodyLimitBytes: number };
  grpc: { port: number };
  /** null: embedded default with the in-process queue. */
  redis: { url: string | null; prefix: string };
  routing: {
    strategy: RoutingStrategy;
    /** Defaults for every target; a route target's `timeouts` overrides them key by key. */
    timeouts: AttemptTimeouts;
    retries: RetryPolicy;
    circuit: CircuitPolicy;
    /** Smoothing of the latency and TTFT EWMAs (weight of the newest sample). */
    ewmaAlpha: number;
  };
  requestTimeoutMs: number;
  worker: {
    concurrency: number;
    /** How long a job stays owned by a worker that stopped renewing it; then another worker re-runs it. */
    lockMs: number;
  };
  providers: ProviderConfig[];
  /**
   * Routes from the config file, validated against `providers` and each other, with defaults
   * applied. Default routes (one per served model) are not listed here: the gateway derives them.
   */
  routes: RouteConfig[];
  /** True when no provider was configured and the simulated provider serves a demo model. */
  demo: boolean;
  logLevel: string;
}

/** Resolved time limits of one attempt, in milliseconds. */
export interface AttemptTimeouts {
  /** Establishing the connection to the provider. */
  connectMs: number;
  /** Streams: from the start of the attempt to the first part. */
  firstTokenMs: number;
  /** Streams: the longest silence between two parts. */
  stallMs: number;
  /** The whole attempt. */
  totalMs: number;
}

/** Resolved retry policy for retryable failures on one target. */
export interface RetryPolicy {
  maxAttemptsPerTarget: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
}

/** Defaults of `routing.timeouts` and `routing.retries`. */
export const DEFAULT_TIMEOUTS: AttemptTimeouts = { connectMs: 5000, firstTokenMs: 15_000, stallMs: 10_000, totalMs: 120_000 };
export const DEFAULT_RETRIES: RetryPolicy = { maxAttemptsPerTarget: 2, backoffBaseMs: 250, backoffMaxMs: 4000 };

/** Applies a `timeouts` block (snake_case, partial) over resolved limits. */
export function mergeTimeouts(base: AttemptTimeouts, override: TimeoutsConfig | undefined): AttemptTimeouts {
  return {
    connectMs: override?.connect_ms ?? base.connectMs,
    firstTokenMs: override?.first_token_ms ?? base.firstTokenMs,
    stallMs: override?.stall_ms ?? base.stallMs,
    totalMs: override?.total_ms ?? base.totalMs,
  };
}
