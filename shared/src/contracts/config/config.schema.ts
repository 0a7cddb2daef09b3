import { z } from 'zod';
import { embedderFileSchema, filesFileSchema, knowledgeConfigSchema, memoryFileSchema, ragFileSchema } from './knowledge-config.schema.js';
import { rateLimitRuleSchema } from '../control-plane/rate-limits.js';
import { rateLimitsFileSchema } from './rate-limits-config.schema.js';
import { scanPolicySchema } from '../scanning/scan-policy.js';
import { configKeySchema, configKeysFileSchema } from '../governance/config-keys.js';
import { apiKeyBudgetSchema } from '../governance/api-keys.js';
import { tenantsFileSchema } from '../governance/tenants.js';

/*
 * Configuration as zod schemas, in two layers: the YAML file as written (`configFileSchema`, snake_case,
 * every key optional) and the resolved configuration every process runs on (`appConfigSchema`). Types
 * are inferred from the schemas, so a key cannot be documented in one place and typed in another.
 */

/** Provider types AILB has adapters for. `openai` also covers any OpenAI-compatible server. */
export const providerTypeSchema = z.enum(['openai', 'anthropic', 'ollama']);
export type ProviderType = z.infer<typeof providerTypeSchema>;

/** Routing strategy names (README, section Strategies, gives each its behaviour). */
export const routingStrategySchema = z.enum(['round_robin', 'cost_optimized', 'latency_optimized', 'load_balanced', 'failover', 'random']);
export type RoutingStrategy = z.infer<typeof routingStrategySchema>;

/** pino's levels; `silent` logs nothing. */
export const logLevelSchema = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);
export type LogLevel = z.infer<typeof logLevelSchema>;

const portSchema = z.number().int().min(0).max(65535);

/** One provider deployment, as written in the YAML config's `providers:` list. */
export const providerConfigSchema = z.strictObject({
  /** Unique id; clients may select it explicitly as `id/model`. */
  id: z.string().regex(/^[a-zA-Z0-9._-]+$/, 'must be letters, digits, ".", "_" or "-"'),
  type: providerTypeSchema,
  /** API base URL. Defaults per type (OpenAI's and Anthropic's public APIs); required for ollama. */
  base_url: z.url().optional(),
  /** Credential; supports `${ENV}` interpolation. Only workers hold it; gateways drop it unread. */
  api_key: z.string().min(1).optional(),
  /** Models served. When absent, workers discover them from the provider's model list. */
  models: z.array(z.string().min(1)).min(1).optional(),
  /** Anthropic requires max_tokens; this is sent when the client gives none. @defaultValue 4096 */
  default_max_tokens: z.number().int().min(1).default(4096),
});
export type ProviderConfig = z.infer<typeof providerConfigSchema>;

/**
 * Price of one target in USD per 1M tokens, as written in a route's `targets[].price`. `cached_input`
 * (prompt-cache hits) defaults to `input` when absent: never cheaper than the provider may bill.
 */
export const tokenPriceSchema = z.strictObject({ input: z.number().min(0), output: z.number().min(0), cached_input: z.number().min(0).optional() });
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
  /** Retry a target that timed out instead of failing over at once. @defaultValue false */
  retry_on_timeout: z.boolean().optional(),
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
  /** Overrides the built-in price table for `cost_optimized` and the cost ledger. */
  price: tokenPriceSchema.optional(),
  /** Attempts in flight on this target across every worker; enforced atomically by workers. */
  max_concurrency: z.number().int().min(1).optional(),
  /** Overrides `routing.timeouts` for this target. */
  timeouts: timeoutsConfigSchema.optional(),
  /** Overrides the route's `hedge_after_ms` for attempts on this target (e.g. a slow reasoning model). */
  hedge_after_ms: z.number().int().min(1).optional(),
  /**
   * Whether this target may continue a broken stream from an assistant prefill; overrides what its
   * provider type says for the model (see README, "Failure semantics").
   */
  supports_prefill: z.boolean().optional(),
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
  /** Overrides `routing.retries.retry_on_timeout` for this route. */
  retry_on_timeout: z.boolean().optional(),
  /** Overrides `routing.continue_streams` for this route. */
  continue_streams: z.boolean().optional(),
  /** Overrides `routing.hedge_after_ms` for this route. */
  hedge_after_ms: z.number().int().min(1).optional(),
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
      /** A stream that broke after sending text is finished by the next target. @defaultValue true */
      continue_streams: z.boolean().optional(),
      /** Start the next target in parallel when no first token arrived by then. @defaultValue off */
      hedge_after_ms: z.number().int().min(1).optional(),
    })
    .optional(),
  server: z
    .strictObject({
      http_port: portSchema.optional(),
      http_host: z.string().min(1).optional(),
      grpc_port: portSchema.optional(),
      grpc_host: z.string().min(1).optional(),
      body_limit_bytes: z.number().int().min(1024).optional(),
      /** Deepest nesting of objects and arrays a JSON body may have (AILB_JSON_MAX_DEPTH). @defaultValue 64 */
      json_max_depth: z.number().int().min(2).max(10_000).optional(),
      request_timeout_ms: z.number().int().min(100).optional(),
    })
    .optional(),
  worker: z.strictObject({ concurrency: z.number().int().min(1).max(10_000).optional(), lock_ms: z.number().int().min(1000).optional() }).optional(),
  tracing: z.strictObject({ success_sample_rate: z.number().min(0).max(1).optional() }).optional(),
  /** Prompt scanning (see scan-policy.ts); `AILB_SCAN_POLICY` wins. */
  scanning: z.strictObject({ policy: scanPolicySchema.optional() }).optional(),
  embedder: embedderFileSchema.optional(),
  memory: memoryFileSchema.optional(),
  rag: ragFileSchema.optional(),
  files: filesFileSchema.optional(),
  /** Rate-limit rules (see rate-limits-config.schema.ts); rules set over gRPC override them by id. */
  rate_limits: rateLimitsFileSchema.optional(),
  /** API keys declared in the file (see governance/config-keys.ts); restart-only. */
  keys: configKeysFileSchema.optional(),
  /** Tenant budgets (see governance/tenants.ts); the admin API's settings override them per tenant. */
  tenants: tenantsFileSchema.optional(),
});
export type ConfigFile = z.infer<typeof configFileSchema>;

/** Resolved time limits of one attempt, in milliseconds. */
export const attemptTimeoutsSchema = z.object({
  /** Establishing the connection to the provider. */
  connectMs: z.number().int().positive(),
  /** Streams: from the start of the attempt to the first part. */
  firstTokenMs: z.number().int().positive(),
  /** Streams: the longest silence between two parts. */
  stallMs: z.number().int().positive(),
  /** The whole attempt. */
  totalMs: z.number().int().positive(),
});
export type AttemptTimeouts = z.infer<typeof attemptTimeoutsSchema>;

/** Resolved retry policy for retryable failures on one target. */
export const retryPolicySchema = z.object({
  maxAttemptsPerTarget: z.number().int().min(1),
  backoffBaseMs: z.number().int().min(0),
  backoffMaxMs: z.number().int().min(0),
  /**
   * Retry a target that timed out (connect, headers, first token, total) instead of moving to the next
   * target at once. Absent: false. Optional so that jobs of earlier gateways still parse.
   */
  retryOnTimeout: z.boolean().optional(),
});
export type RetryPolicy = z.infer<typeof retryPolicySchema>;

/**
 * A circuit breaker's rules (see `nextCircuit`): open after `failureThreshold` consecutive
 * provider-side failures, or when the failure rate (an EWMA with `errorRateAlpha`) reaches
 * `errorRateThreshold` over at least `minSamples` attempts; half-open after `cooldownMs`.
 */
export const circuitPolicySchema = z.object({
  failureThreshold: z.number().int().min(1),
  cooldownMs: z.number().int().min(1),
  /** 0..1; undefined: only consecutive failures open the circuit. */
  errorRateThreshold: z.number().gt(0).max(1).optional(),
  /** Attempts seen before the error rate may open the circuit. */
  minSamples: z.number().int().min(1),
  /** Weight of the newest outcome in the error rate. */
  errorRateAlpha: z.number().gt(0).max(1),
});
export type CircuitPolicy = z.infer<typeof circuitPolicySchema>;

/** The fully resolved configuration every process runs on. */
export const appConfigSchema = z.object({
  /** This instance's module id (prefix of the gateway's reply channel). */
  moduleId: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/),
  http: z.object({ host: z.string().min(1), port: portSchema, bodyLimitBytes: z.number().int().min(1024), jsonMaxDepth: z.number().int().min(2).max(10_000).default(64) }),
  /**
   * The split-mode worker's and embedder's own `GET /metrics` listener (METRICS_HOST:METRICS_PORT).
   * Absent (METRICS_PORT unset): a worker serves no metrics, an embedder serves them on its HTTP port.
   */
  metrics: z.object({ host: z.string().min(1), port: portSchema }).optional(),
  /** The MarchProxy ModuleService (gRPC) listener of every gateway. */
  grpc: z.object({
    host: z.string().min(1),
    /** 0: a free port (tests). */
    port: portSchema,
    /** PEM files of the server certificate and key; absent: plaintext (what the MarchProxy NLB dials). */
    tls: z.object({ certFile: z.string().min(1), keyFile: z.string().min(1) }).optional(),
    /** Set: every ModuleService call needs `authorization: Bearer <token>`. Never logged. */
    authToken: z.string().min(16).optional(),
  }),
  /** `url` null: the embedded default's in-process queue and in-memory state. */
  redis: z.object({ url: z.string().regex(/^rediss?:\/\//).nullable(), prefix: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/) }),
  routing: z.object({
    strategy: routingStrategySchema,
    /** Defaults for every target; a route target's `timeouts` overrides them key by key. */
    timeouts: attemptTimeoutsSchema,
    retries: retryPolicySchema,
    circuit: circuitPolicySchema,
    /** Smoothing of the latency and TTFT EWMAs (weight of the newest sample). */
    ewmaAlpha: z.number().gt(0).max(1),
    /** `routing.continue_streams`: a stream broken after output is continued on the next target. Absent: true. */
    continueStreams: z.boolean().optional(),
    /** `routing.hedge_after_ms`: absent, no hedging. */
    hedgeAfterMs: z.number().int().positive().optional(),
  }),
  /** Deadline of one request, queue time included. */
  requestTimeoutMs: z.number().int().min(100),
  worker: z.object({
    concurrency: z.number().int().min(1).max(10_000),
    /** How long a job stays owned by a worker that stopped renewing it; then another worker re-runs it. */
    lockMs: z.number().int().min(1000),
  }),
  tracing: z.object({
    /**
     * Share of plain successes (one attempt, nothing left out) whose routing trace is kept; failures,
     * retried or failed-over requests, requests that left a target out and requests asking with
     * `x-ailb-trace` are always kept.
     */
    successSampleRate: z.number().min(0).max(1),
  }),
  /** Prompt scanning: the policy of requests whose API key sets none. @defaultValue `{ policy: 'log' }` (restart to change) */
  scanning: z.object({ policy: scanPolicySchema }),
  /** Deployments. In a gateway's configuration they carry no `api_key`: only workers hold keys. */
  providers: z.array(providerConfigSchema),
  /**
   * Routes from the config file, validated against `providers` and each other, with defaults applied.
   * Default routes (one per served model) are not listed here: the gateway derives them.
   */
  routes: z.array(routeConfigSchema),
  /** True when no provider was configured and the simulated provider serves a demo model. */
  demo: z.boolean(),
  /** Memory, RAG, files and the embedder. */
  knowledge: knowledgeConfigSchema,
  /** Rate-limit rules of the config file (`metadata.source` = `config`); absent when none are declared. */
  rateLimits: z.array(rateLimitRuleSchema).optional(),
  /** Who may call: the admin API's master key and the config file's API keys; absent: neither. */
  auth: z
    .object({
      /** `AILB_MASTER_KEY`: enables the admin API (`/admin/*`); never logged, never rendered. */
      masterKey: z.string().min(16).optional(),
      /** `AILB_PROTECT_OPS`: `/api/*` and `/metrics` need the master key too. @defaultValue false */
      protectOps: z.boolean(),
      /** The `keys:` list, secrets hashed. */
      keys: z.array(configKeySchema),
    })
    .optional(),
  /** Tenant budgets of the config file, by tenant; absent or `{}` when none are declared. */
  tenantBudgets: z.record(z.string(), apiKeyBudgetSchema).optional(),
  logLevel: logLevelSchema,
  /** Blue/green: which version this process is, and how fast a gradual promotion moves. */
  deployment: z.object({
    /** `VERSION`; defaults to the root package.json version. Names this instance's blue/green version and its worker queue lane. */
    version: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/),
    /** `AILB_PROMOTION_STEP_MS`: time between two steps of a gradual `PromoteVersion`. @defaultValue 10000 */
    promotionStepMs: z.number().int().min(100),
  }),
});
export type AppConfig = z.infer<typeof appConfigSchema>;

/** Defaults of `routing.timeouts` and `routing.retries`. */
export const DEFAULT_TIMEOUTS: AttemptTimeouts = { connectMs: 5000, firstTokenMs: 10_000, stallMs: 10_000, totalMs: 120_000 };
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
