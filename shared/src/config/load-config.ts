import { readFileSync } from 'node:fs';
import { DEFAULT_CIRCUIT } from '../state/circuit.js';
import { LATENCY_EWMA_ALPHA } from '../state/cluster-state.js';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { configFileSchema, DEFAULT_RETRIES, DEFAULT_TIMEOUTS, mergeTimeouts, providerConfigSchema, routingStrategySchema, type AppConfig, type ConfigFile, type ProviderConfig, type RouteConfig } from './config.schema.js';

/** Thrown when configuration is invalid; the message names the offending key. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** The error for a role that needs providers when none is configured. */
export function noProvidersError(): ConfigError {
  return new ConfigError('providers: none configured; set OPENAI_API_KEY, ANTHROPIC_API_KEY, OLLAMA_BASE_URL or AILB_CONFIG');
}

type Env = Record<string, string | undefined>;

const envNumber = (env: Env, key: string, schema: z.ZodNumber): number | undefined => {
  const raw = env[key];
  if (raw === undefined || raw.trim() === '') return undefined;
  const parsed = schema.safeParse(Number(raw));
  if (!parsed.success) throw new ConfigError(`${key}: expected ${describe(schema)}, got "${raw}"`);
  return parsed.data;
};

const describe = (schema: z.ZodNumber): string => {
  const { minValue, maxValue } = schema;
  return `an integer${minValue !== null ? ` >= ${minValue}` : ''}${maxValue !== null ? ` <= ${maxValue}` : ''}`;
};

const list = (raw: string | undefined): string[] | undefined => {
  const items = raw?.split(',').map((item) => item.trim()).filter(Boolean);
  return items && items.length > 0 ? items : undefined;
};

/** Replaces `${NAME}` with the environment value; a missing variable is a config error naming both. */
function interpolate(value: unknown, env: Env, path: string): unknown {
  if (typeof value === 'string') {
    return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_match, name: string) => {
      const resolved = env[name];
      if (resolved === undefined) throw new ConfigError(`${path}: environment variable ${name} is not set`);
      return resolved;
    });
  }
  if (Array.isArray(value)) return value.map((item, index) => interpolate(item, env, `${path}[${index}]`));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, interpolate(item, env, path ? `${path}.${key}` : key)]),
    );
  }
  return value;
}

function formatIssuePath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((text, key) => (typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key)), '');
}

function readConfigFile(path: string, env: Env): ConfigFile {
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
  const parsed = configFileSchema.safeParse(interpolate(raw, env, ''));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const keys = issue.code === 'unrecognized_keys' ? `.${issue.keys.join(', ')}` : '';
    throw new ConfigError(`${path}: ${formatIssuePath(issue.path)}${keys}: ${issue.message}`);
  }
  return parsed.data;
}

/** The env-var form of providers (the seed's variables): sugar for the same structure as YAML. */
function providersFromEnv(env: Env): ProviderConfig[] {
  // A variable set to an empty string (common in compose files) counts as unset.
  const read = (key: string) => env[key]?.trim() || undefined;
  const candidates: Array<Record<string, unknown>> = [];
  if (read('OPENAI_API_KEY')) {
    candidates.push({ id: 'openai', type: 'openai', api_key: read('OPENAI_API_KEY'), base_url: read('OPENAI_BASE_URL'), models: list(env.OPENAI_MODELS) });
  }
  if (read('ANTHROPIC_API_KEY')) {
    candidates.push({ id: 'anthropic', type: 'anthropic', api_key: read('ANTHROPIC_API_KEY'), base_url: read('ANTHROPIC_BASE_URL'), models: list(env.ANTHROPIC_MODELS) });
  }
  if (read('OLLAMA_BASE_URL')) {
    candidates.push({ id: 'ollama', type: 'ollama', base_url: read('OLLAMA_BASE_URL'), models: list(env.OLLAMA_MODELS) });
  }
  return candidates.map((candidate) => {
    const cleaned = Object.fromEntries(Object.entries(candidate).filter(([, value]) => value !== undefined));
    const parsed = providerConfigSchema.safeParse(cleaned);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const key = String(issue.path[0]) === 'base_url' ? `${String(candidate.type).toUpperCase()}_BASE_URL` : formatIssuePath(issue.path);
      throw new ConfigError(`${key}: ${issue.message}`);
    }
    return parsed.data;
  });
}

function checkProviders(providers: ProviderConfig[]): void {
  const seen = new Set<string>();
  providers.forEach((provider, index) => {
    if (seen.has(provider.id)) throw new ConfigError(`providers[${index}].id: duplicate provider id "${provider.id}"`);
    seen.add(provider.id);
    if (provider.type === 'ollama' && !provider.base_url) {
      throw new ConfigError(`providers[${index}].base_url: required for type ollama`);
    }
    if (provider.type !== 'ollama' && !provider.api_key) {
      throw new ConfigError(`providers[${index}].api_key: required for type ${provider.type}`);
    }
  });
}

/**
 * Cross-checks routes against providers and each other. A fallback must name a route known at
 * start: one in `routes:` or a model some provider lists (plain or `id/model`). Models that are only
 * discovered at run time are not known yet, so a route to one of them must be declared explicitly.
 */
function checkRoutes(routes: RouteConfig[], providers: ProviderConfig[]): void {
  const providerIds = new Set(providers.map((provider) => provider.id));
  const known = new Set(routes.map((route) => route.model));
  for (const provider of providers) {
    for (const model of provider.models ?? []) known.add(model).add(`${provider.id}/${model}`);
  }
  const checkReference = (name: string, key: string, route: RouteConfig) => {
    if (name === route.model) throw new ConfigError(`${key}: route "${route.model}" cannot fall back to itself`);
    if (!known.has(name)) throw new ConfigError(`${key}: unknown route "${name}" (name a route in routes: or a model listed in providers[].models)`);
  };
  const seen = new Set<string>();
  routes.forEach((route, index) => {
    if (seen.has(route.model)) throw new ConfigError(`routes[${index}].model: duplicate route "${route.model}"`);
    seen.add(route.model);
    route.targets.forEach((target, targetIndex) => {
      if (!providerIds.has(target.provider)) throw new ConfigError(`routes[${index}].targets[${targetIndex}].provider: unknown provider "${target.provider}"`);
    });
    route.fallbacks.forEach((name, fallbackIndex) => checkReference(name, `routes[${index}].fallbacks[${fallbackIndex}]`, route));
    if (route.context_fallback !== undefined) checkReference(route.context_fallback, `routes[${index}].context_fallback`, route);
  });
}

/**
 * Builds the configuration from environment variables and the optional YAML file named by
 * AILB_CONFIG. This is the only place AILB reads `process.env`.
 */
export function loadConfig(env: Env = process.env): AppConfig {
  const configPath = env.AILB_CONFIG?.trim();
  const file = configPath ? readConfigFile(configPath, env) : {};
  const providers = [...(file.providers ?? [])];
  for (const provider of providersFromEnv(env)) {
    if (!providers.some((existing) => existing.id === provider.id)) providers.push(provider);
  }
  checkProviders(providers);
  const routes = file.routes ?? [];
  checkRoutes(routes, providers);

  const strategyRaw = env.ROUTING_STRATEGY;
  let strategy = file.routing?.strategy ?? 'round_robin';
  if (strategyRaw) {
    const parsed = routingStrategySchema.safeParse(strategyRaw);
    if (!parsed.success) throw new ConfigError(`ROUTING_STRATEGY: must be one of ${routingStrategySchema.options.join(', ')}, got "${strategyRaw}"`);
    strategy = parsed.data;
  }
  const port = z.number().int().min(0).max(65535);
  const redisUrl = env.REDIS_URL?.trim() || null;
  if (redisUrl && !/^rediss?:\/\//.test(redisUrl)) throw new ConfigError(`REDIS_URL: must start with redis:// or rediss://`);

  return {
    moduleId: env.MODULE_ID?.trim() || 'ailb',
    http: {
      host: env.HTTP_HOST?.trim() || file.server?.http_host || '0.0.0.0',
      port: envNumber(env, 'HTTP_PORT', port) ?? file.server?.http_port ?? 8080,
      bodyLimitBytes: envNumber(env, 'AILB_BODY_LIMIT_BYTES', z.number().int().min(1024)) ?? file.server?.body_limit_bytes ?? 10 * 1024 * 1024,
    },
    grpc: { port: envNumber(env, 'GRPC_PORT', port) ?? file.server?.grpc_port ?? 50051 },
    redis: { url: redisUrl, prefix: env.AILB_REDIS_PREFIX?.trim() || 'ailb' },
    routing: {
      strategy,
      timeouts: mergeTimeouts(DEFAULT_TIMEOUTS, file.routing?.timeouts),
      retries: {
        maxAttemptsPerTarget: file.routing?.retries?.max_attempts_per_target ?? DEFAULT_RETRIES.maxAttemptsPerTarget,
        backoffBaseMs: file.routing?.retries?.backoff_base_ms ?? DEFAULT_RETRIES.backoffBaseMs,
        backoffMaxMs: file.routing?.retries?.backoff_max_ms ?? DEFAULT_RETRIES.backoffMaxMs,
      },
      circuit: {
        failureThreshold: file.routing?.circuit?.failure_threshold ?? DEFAULT_CIRCUIT.failureThreshold,
        cooldownMs: file.routing?.circuit?.cooldown_ms ?? DEFAULT_CIRCUIT.cooldownMs,
        errorRateThreshold: file.routing?.circuit?.error_rate_threshold,
        minSamples: file.routing?.circuit?.min_samples ?? DEFAULT_CIRCUIT.minSamples,
        errorRateAlpha: file.routing?.ewma_alpha ?? LATENCY_EWMA_ALPHA,
      },
      ewmaAlpha: file.routing?.ewma_alpha ?? LATENCY_EWMA_ALPHA,
    },
    requestTimeoutMs: envNumber(env, 'AILB_REQUEST_TIMEOUT_MS', z.number().int().min(100)) ?? file.server?.request_timeout_ms ?? 120_000,
    worker: {
      concurrency: envNumber(env, 'AILB_WORKER_CONCURRENCY', z.number().int().min(1).max(10_000)) ?? file.worker?.concurrency ?? 64,
      lockMs: envNumber(env, 'AILB_WORKER_LOCK_MS', z.number().int().min(1000)) ?? file.worker?.lock_ms ?? 10_000,
    },
    providers,
    routes,
    demo: providers.length === 0,
    logLevel: env.LOG_LEVEL?.trim() || 'info',
  };
}
