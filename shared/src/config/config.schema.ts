import { z } from 'zod';

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

/** The YAML file named by AILB_CONFIG. Every key is optional; env vars fill the same structure. */
export const configFileSchema = z.strictObject({
  providers: z.array(providerConfigSchema).optional(),
  routing: z.strictObject({ strategy: routingStrategySchema.optional() }).optional(),
  server: z
    .strictObject({
      http_port: z.number().int().min(0).max(65535).optional(),
      http_host: z.string().min(1).optional(),
      grpc_port: z.number().int().min(0).max(65535).optional(),
      body_limit_bytes: z.number().int().min(1024).optional(),
      request_timeout_ms: z.number().int().min(100).optional(),
    })
    .optional(),
  worker: z.strictObject({ concurrency: z.number().int().min(1).max(10_000).optional() }).optional(),
});
export type ConfigFile = z.infer<typeof configFileSchema>;

/** The fully resolved configuration every process runs on. */
export interface AppConfig {
  moduleId: string;
  http: { host: string; port: number; bodyLimitBytes: number };
  grpc: { port: number };
  /** null: embedded default with the in-process queue. */
  redis: { url: string | null; prefix: string };
  routing: { strategy: RoutingStrategy };
  requestTimeoutMs: number;
  worker: { concurrency: number };
  providers: ProviderConfig[];
  /** True when no provider was configured and the simulated provider serves a demo model. */
  demo: boolean;
  logLevel: string;
}
