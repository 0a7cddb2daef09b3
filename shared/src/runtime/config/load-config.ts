import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { DEFAULT_CIRCUIT } from '../../contracts/cluster-state/circuit.js';
import { LATENCY_EWMA_ALPHA } from '../../contracts/cluster-state/cluster-state.js';
import {
  appConfigSchema,
  configFileSchema,
  DEFAULT_RETRIES,
  DEFAULT_TIMEOUTS,
  mergeTimeouts,
  providerConfigSchema,
  type AppConfig,
  type ConfigFile,
  type ProviderConfig,
} from '../../contracts/config/config.schema.js';
import { envSchema, type AilbEnv } from '../../contracts/config/env.schema.js';
import { findRouteProblem } from '../../contracts/config/route-rules.js';
import type { KnowledgeConfig } from '../../contracts/config/knowledge-config.schema.js';
import { resolveKnowledge } from './knowledge-config.js';
import { resolveRateLimits } from '../../contracts/config/rate-limits-config.schema.js';
import { resolveConfigKeys } from '../../contracts/governance/config-keys.js';

/**
 * The default `VERSION`: the root package.json's version (four levels up from this file in src/ and
 * dist/ alike; the images copy that file). Read once; an unreadable file gives `unknown`.
 */
let cachedPackageVersion: string | undefined;
function packageVersion(): string {
  if (cachedPackageVersion === undefined) {
    try {
      const manifest = JSON.parse(readFileSync(new URL('../../../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
      cachedPackageVersion = typeof manifest.version === 'string' && /^[A-Za-z0-9._-]{1,64}$/.test(manifest.version) ? manifest.version : 'unknown';
    } catch {
      cachedPackageVersion = 'unknown';
    }
  }
  return cachedPackageVersion;
}

/** Thrown when configuration is invalid; the message names the offending key. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/**
 * Which process the configuration is for. A `gateway` plans with provider ids and models and never
 * holds a provider key; a `worker` calls providers; an `embedder` vectorises memory and knowledge bases
 * (it holds keys only to call a provider's embeddings endpoint); `standalone` is all of them in one
 * process (the embedded default, or one process joining a split deployment).
 */
export type Role = 'gateway' | 'worker' | 'embedder' | 'standalone';

/** The error for a role that needs providers when none is configured. */
export function noProvidersError(): ConfigError {
  return new ConfigError('providers: none configured; set OPENAI_API_KEY, ANTHROPIC_API_KEY, OLLAMA_BASE_URL or AILB_CONFIG');
}

/** Environment variables by name (process.env's shape). */
export type Env = Record<string, string | undefined>;

function formatIssuePath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((text, key) => (typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key)), '');
}

function firstIssue(error: z.ZodError): string {
  return configIssues(error)[0]!;
}

/** Every issue of a failed parse, each naming its key (`routing.timeouts.connect_ms: …`), in key order. */
export function configIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const keys = issue.code === 'unrecognized_keys' ? `.${issue.keys.join(', ')}` : '';
    return `${formatIssuePath(issue.path)}${keys}: ${issue.message}`;
  });
}

/** Variables whose value is a secret: an error about them never repeats the value (it lands in logs). */
const SECRET_VARIABLES: ReadonlySet<string> = new Set(['GRPC_AUTH_TOKEN', 'AILB_MASTER_KEY']);

function parseEnv(env: Env): AilbEnv {
  const parsed = envSchema.safeParse(env);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const key = String(issue.path[0]);
  if (SECRET_VARIABLES.has(key)) throw new ConfigError(`${key}: ${issue.message} (value not shown: it is a secret)`);
  throw new ConfigError(`${key}: ${issue.message}, got "${env[key] ?? ''}"`);
}

/** Replaces `${NAME}` with the environment value; a missing variable is a config error naming both. */
export function interpolate(value: unknown, env: Env, path: string): unknown {
  if (typeof value === 'string') {
    return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_match, name: string) => {
      const resolved = env[name];
      if (resolved === undefined) throw new ConfigError(`${path}: environment variable ${name} is not set`);
      return resolved;
    });
  }
  if (Array.isArray(value)) return value.map((item, index) => interpolate(item, env, `${path}[${index}]`));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, interpolate(item, env, path ? `${path}.${key}` : key)]));
  }
  return value;
}

/** A gateway never reads provider keys: they are removed before `${ENV}` interpolation could demand them. */
export function withoutKeys(raw: unknown): unknown {
  if (raw === null || typeof raw !== 'object' || !Array.isArray((raw as { providers?: unknown }).providers)) return raw;
  const file = raw as { providers: unknown[] };
  return {
    ...file,
    providers: file.providers.map((provider) => {
      if (provider === null || typeof provider !== 'object') return provider;
      const { api_key: _dropped, ...rest } = provider as Record<string, unknown>;
      return rest;
    }),
  };
}

function readConfigFile(path: string, env: Env, role: Role): { file: ConfigFile; written: unknown } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`AILB_CONFIG: cannot read ${path}: ${(error as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = parseYaml(text) ?? {};
  } catch (error) {
    throw new ConfigError(`AILB_CONFIG: ${path} is not valid YAML: ${(error as Error).message}`);
  }
  const parsed = configFileSchema.safeParse(interpolate(role === 'gateway' ? withoutKeys(raw) : raw, env, ''));
  if (!parsed.success) throw new ConfigError(`${path}: ${firstIssue(parsed.error)}`);
  return { file: parsed.data, written: raw };
}

/**
 * The env-var form of providers (the seed's variables): sugar for the same structure as YAML. A
 * worker enables a deployment with its key (Ollama: its URL); a gateway, which holds no keys, declares
 * it when any of its variables is set, so the same environment can be given to both.
 */
function providersFromEnv(env: AilbEnv, role: Role): ProviderConfig[] {
  const declared = (key: string | undefined, ...others: unknown[]) => key !== undefined || (role === 'gateway' && others.some((value) => value !== undefined));
  const candidates: Array<Record<string, unknown>> = [];
  if (declared(env.OPENAI_API_KEY, env.OPENAI_BASE_URL, env.OPENAI_MODELS)) {
    candidates.push({ id: 'openai', type: 'openai', api_key: env.OPENAI_API_KEY, base_url: env.OPENAI_BASE_URL, models: env.OPENAI_MODELS });
  }
  if (declared(env.ANTHROPIC_API_KEY, env.ANTHROPIC_BASE_URL, env.ANTHROPIC_MODELS)) {
    candidates.push({ id: 'anthropic', type: 'anthropic', api_key: env.ANTHROPIC_API_KEY, base_url: env.ANTHROPIC_BASE_URL, models: env.ANTHROPIC_MODELS });
  }
  if (env.OLLAMA_BASE_URL !== undefined) candidates.push({ id: 'ollama', type: 'ollama', base_url: env.OLLAMA_BASE_URL, models: env.OLLAMA_MODELS });
  return candidates.map((candidate) => {
    const cleaned = Object.fromEntries(Object.entries(candidate).filter(([key, value]) => value !== undefined && !(role === 'gateway' && key === 'api_key')));
    const parsed = providerConfigSchema.safeParse(cleaned);
    if (!parsed.success) throw new ConfigError(firstIssue(parsed.error));
    return parsed.data;
  });
}

function checkProviders(providers: ProviderConfig[], role: Role): void {
  const seen = new Set<string>();
  providers.forEach((provider, index) => {
    if (seen.has(provider.id)) throw new ConfigError(`providers[${index}].id: duplicate provider id "${provider.id}"`);
    seen.add(provider.id);
    if (provider.type === 'ollama' && !provider.base_url) throw new ConfigError(`providers[${index}].base_url: required for type ollama`);
    if (role !== 'gateway' && provider.type !== 'ollama' && !provider.api_key) throw new ConfigError(`providers[${index}].api_key: required for type ${provider.type}`);
  });
}

/** An `openai:`/`ollama:` embedding model needs a deployment of that type to call. */
function checkEmbeddingProvider(knowledge: KnowledgeConfig, providers: ProviderConfig[]): void {
  const { model, provider: providerId } = knowledge.embedder;
  const type = model.slice(0, model.indexOf(':'));
  if (type !== 'openai' && type !== 'ollama') return;
  const provider = providerId === undefined ? providers.find((candidate) => candidate.type === type) : providers.find((candidate) => candidate.id === providerId);
  if (!provider) throw new ConfigError(providerId === undefined ? `embedder.model: ${model} needs a provider of type ${type}; none is configured` : `embedder.provider: no provider "${providerId}"`);
  if (provider.type !== type) throw new ConfigError(`embedder.provider: "${provider.id}" is of type ${provider.type}, not ${type} as embedder.model says`);
}

/** TLS of the gRPC listener: both files or neither (half a pair would silently serve plaintext). */
function grpcTls(vars: AilbEnv): AppConfig['grpc']['tls'] {
  const { GRPC_TLS_CERT: certFile, GRPC_TLS_KEY: keyFile } = vars;
  if (certFile === undefined && keyFile === undefined) return undefined;
  if (certFile === undefined) throw new ConfigError('GRPC_TLS_CERT: required when GRPC_TLS_KEY is set (set both or neither)');
  if (keyFile === undefined) throw new ConfigError('GRPC_TLS_KEY: required when GRPC_TLS_CERT is set (set both or neither)');
  return { certFile, keyFile };
}

/**
 * Builds the configuration of one role from environment variables and the optional YAML file named by
 * AILB_CONFIG. This is the only place AILB reads `process.env`. Split-mode roles need REDIS_URL, and
 * a gateway or worker needs at least one provider (only `standalone` can serve the demo).
 */
export function loadConfig(env: Env = process.env, role: Role = 'standalone'): AppConfig {
  return readConfig(env, role).config;
}

/** A configuration and where it came from, as read at start and again by a reload. */
export interface ConfigReading {
  config: AppConfig;
  /** The config file as written, before `${ENV}` interpolation (`{}` without a file): tells which values came from the environment. */
  written: unknown;
  /** `AILB_CONFIG`, when set. */
  path?: string;
}

/** {@link loadConfig}, also returning the file as written (to redact what came from `${ENV}`). */
export function readConfig(env: Env = process.env, role: Role = 'standalone'): ConfigReading {
  const vars = parseEnv(env);
  const { file, written } = vars.AILB_CONFIG ? readConfigFile(vars.AILB_CONFIG, env, role) : { file: {}, written: {} };
  const config = resolveConfig(file, env, role);
  if (role !== 'standalone') {
    if (vars.REDIS_URL === undefined) throw new ConfigError(`REDIS_URL: required for the ${role} role (split mode); run \`npm start\` for the embedded default`);
    if (config.providers.length === 0 && role !== 'embedder') throw noProvidersError();
  }
  return { config, written, ...(vars.AILB_CONFIG ? { path: vars.AILB_CONFIG } : {}) };
}

/** Options of {@link resolveConfig}. */
export interface ResolveOptions {
  /**
   * Whether the environment variables that override changeable keys (`ROUTING_STRATEGY`,
   * `AILB_TRACE_SAMPLE_RATE`) win over the document, as at start; false: what the document itself
   * says (overrides of restart-only keys always apply). @defaultValue true
   */
  environmentOverrides?: boolean;
}

/**
 * Resolves a document in the config file's shape (already interpolated) with the environment, as at
 * start: the one path every configuration goes through, also when it changes while running (the
 * ModuleService's UpdateConfig and Reload). Env vars win over the document.
 */
export function resolveConfig(file: ConfigFile, env: Env = process.env, role: Role = 'standalone', options: ResolveOptions = {}): AppConfig {
  const vars = parseEnv(env);
  const overrides = options.environmentOverrides !== false;
  const providers = [...(file.providers ?? [])];
  for (const provider of providersFromEnv(vars, role)) {
    if (!providers.some((existing) => existing.id === provider.id)) providers.push(provider);
  }
  checkProviders(providers, role);
  const routes = file.routes ?? [];
  const routeProblem = findRouteProblem(routes, providers);
  if (routeProblem) throw new ConfigError(routeProblem);
  const knowledge = resolveKnowledge(vars, file);
  checkEmbeddingProvider(knowledge, providers);

  const keys = resolveConfigKeys(file.keys);
  if (vars.AILB_PROTECT_OPS === true && vars.AILB_MASTER_KEY === undefined) throw new ConfigError('AILB_PROTECT_OPS: needs AILB_MASTER_KEY (the key that opens /api/* and /metrics)');
  // Safe default: a gateway nobody has to authenticate to listens on loopback only, unless told otherwise.
  const open = vars.AILB_MASTER_KEY === undefined && keys.length === 0;
  const circuit = file.routing?.circuit;
  const ewmaAlpha = file.routing?.ewma_alpha ?? LATENCY_EWMA_ALPHA;
  const resolved = appConfigSchema.safeParse({
    moduleId: vars.MODULE_ID ?? 'ailb',
    http: {
      host: vars.HTTP_HOST ?? file.server?.http_host ?? (open ? '127.0.0.1' : '0.0.0.0'),
      port: vars.HTTP_PORT ?? file.server?.http_port ?? 8080,
      bodyLimitBytes: vars.AILB_BODY_LIMIT_BYTES ?? file.server?.body_limit_bytes ?? 10 * 1024 * 1024,
      jsonMaxDepth: vars.AILB_JSON_MAX_DEPTH ?? file.server?.json_max_depth ?? 64,
    },
    // Worker and embedder metrics listen on loopback unless told otherwise: scrapers on other hosts
    // (a Prometheus container) need METRICS_HOST=0.0.0.0, as docker-compose.yml sets.
    metrics: vars.METRICS_PORT === undefined ? undefined : { host: vars.METRICS_HOST ?? '127.0.0.1', port: vars.METRICS_PORT },
    grpc: {
      // The control plane can change routes and shut the gateway down: without a token it listens on
      // loopback only, unless told otherwise (MarchProxy's NLB dials it: set GRPC_HOST or GRPC_AUTH_TOKEN).
      host: vars.GRPC_HOST ?? file.server?.grpc_host ?? (vars.GRPC_AUTH_TOKEN === undefined ? '127.0.0.1' : '0.0.0.0'),
      port: vars.GRPC_PORT ?? file.server?.grpc_port ?? 50051,
      tls: grpcTls(vars),
      authToken: vars.GRPC_AUTH_TOKEN,
    },
    redis: { url: vars.REDIS_URL ?? null, prefix: vars.AILB_REDIS_PREFIX ?? 'ailb' },
    routing: {
      strategy: (overrides ? vars.ROUTING_STRATEGY : undefined) ?? file.routing?.strategy ?? 'round_robin',
      timeouts: mergeTimeouts(DEFAULT_TIMEOUTS, file.routing?.timeouts),
      retries: {
        maxAttemptsPerTarget: file.routing?.retries?.max_attempts_per_target ?? DEFAULT_RETRIES.maxAttemptsPerTarget,
        backoffBaseMs: file.routing?.retries?.backoff_base_ms ?? DEFAULT_RETRIES.backoffBaseMs,
        backoffMaxMs: file.routing?.retries?.backoff_max_ms ?? DEFAULT_RETRIES.backoffMaxMs,
        ...(file.routing?.retries?.retry_on_timeout === undefined ? {} : { retryOnTimeout: file.routing.retries.retry_on_timeout }),
      },
      circuit: {
        failureThreshold: circuit?.failure_threshold ?? DEFAULT_CIRCUIT.failureThreshold,
        cooldownMs: circuit?.cooldown_ms ?? DEFAULT_CIRCUIT.cooldownMs,
        errorRateThreshold: circuit?.error_rate_threshold,
        minSamples: circuit?.min_samples ?? DEFAULT_CIRCUIT.minSamples,
        errorRateAlpha: ewmaAlpha,
      },
      ewmaAlpha,
      ...(file.routing?.continue_streams === undefined ? {} : { continueStreams: file.routing.continue_streams }),
      ...(file.routing?.hedge_after_ms === undefined ? {} : { hedgeAfterMs: file.routing.hedge_after_ms }),
    },
    requestTimeoutMs: vars.AILB_REQUEST_TIMEOUT_MS ?? file.server?.request_timeout_ms ?? 120_000,
    worker: {
      concurrency: vars.AILB_WORKER_CONCURRENCY ?? file.worker?.concurrency ?? 64,
      lockMs: vars.AILB_WORKER_LOCK_MS ?? file.worker?.lock_ms ?? 10_000,
    },
    tracing: { successSampleRate: (overrides ? vars.AILB_TRACE_SAMPLE_RATE : undefined) ?? file.tracing?.success_sample_rate ?? 0.01 },
    scanning: { policy: vars.AILB_SCAN_POLICY ?? file.scanning?.policy ?? 'log' },
    providers,
    routes,
    demo: providers.length === 0,
    knowledge,
    rateLimits: resolveRateLimits(file.rate_limits),
    auth: { masterKey: vars.AILB_MASTER_KEY, protectOps: vars.AILB_PROTECT_OPS ?? false, keys },
    tenantBudgets: Object.fromEntries(Object.entries(file.tenants ?? {}).flatMap(([tenant, settings]) => (settings.budget ? [[tenant, settings.budget]] : []))),
    logLevel: vars.LOG_LEVEL ?? 'info',
    deployment: { version: vars.VERSION ?? packageVersion(), promotionStepMs: vars.AILB_PROMOTION_STEP_MS ?? 10_000 },
  });
  // Every input was validated above; a failure here is a mismatch between the layers, named all the same.
  if (!resolved.success) throw new ConfigError(firstIssue(resolved.error));
  return resolved.data;
}
