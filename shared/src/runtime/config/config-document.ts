import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import type { AppConfig, ConfigFile } from '../../contracts/config/config.schema.js';
import { renderConfigKey } from '../../contracts/governance/config-keys.js';

/*
 * The running configuration as a document in the config file's shape (snake_case, like the YAML):
 * what the ModuleService's GetConfig shows and UpdateConfig changes. Rendering is the inverse of
 * resolution (load-config.ts): resolving a rendered document with the same environment gives the same
 * configuration back, for every key the file can hold (env-only settings — module id, Redis, log level,
 * version, gRPC TLS and token — have no key in the file and are not rendered).
 */

/** What a redacted secret reads as. */
export const REDACTED = '[REDACTED]';

/** The configuration as a config file would write it, every key explicit. */
export function renderConfig(config: AppConfig): ConfigFile {
  const { routing, knowledge } = config;
  const { memory, rag, files, embedder } = knowledge;
  const document: ConfigFile = {
    providers: config.providers.map((provider) => ({ ...provider })),
    routes: config.routes.map((route) => structuredClone(route)),
    routing: {
      strategy: routing.strategy,
      timeouts: { connect_ms: routing.timeouts.connectMs, first_token_ms: routing.timeouts.firstTokenMs, stall_ms: routing.timeouts.stallMs, total_ms: routing.timeouts.totalMs },
      retries: { max_attempts_per_target: routing.retries.maxAttemptsPerTarget, backoff_base_ms: routing.retries.backoffBaseMs, backoff_max_ms: routing.retries.backoffMaxMs, ...(routing.retries.retryOnTimeout === undefined ? {} : { retry_on_timeout: routing.retries.retryOnTimeout }) },
      circuit: {
        failure_threshold: routing.circuit.failureThreshold,
        cooldown_ms: routing.circuit.cooldownMs,
        ...(routing.circuit.errorRateThreshold === undefined ? {} : { error_rate_threshold: routing.circuit.errorRateThreshold }),
        min_samples: routing.circuit.minSamples,
      },
      ewma_alpha: routing.ewmaAlpha,
      ...(routing.continueStreams === undefined ? {} : { continue_streams: routing.continueStreams }),
      ...(routing.hedgeAfterMs === undefined ? {} : { hedge_after_ms: routing.hedgeAfterMs }),
    },
    server: {
      http_port: config.http.port,
      http_host: config.http.host,
      grpc_port: config.grpc.port,
      grpc_host: config.grpc.host,
      body_limit_bytes: config.http.bodyLimitBytes,
      json_max_depth: config.http.jsonMaxDepth,
      request_timeout_ms: config.requestTimeoutMs,
    },
    worker: { concurrency: config.worker.concurrency, lock_ms: config.worker.lockMs },
    tracing: { success_sample_rate: config.tracing.successSampleRate },
    scanning: { policy: config.scanning.policy },
    embedder: {
      model: embedder.model,
      ...(embedder.provider === undefined ? {} : { provider: embedder.provider }),
      allow_remote_models: embedder.allowRemoteModels,
      ...(embedder.modelsPath === undefined ? {} : { models_path: embedder.modelsPath }),
      ...(embedder.chromaUrl === null ? {} : { chroma_url: embedder.chromaUrl }),
      data_dir: embedder.dataDir,
      concurrency: embedder.concurrency,
    },
    memory: {
      enabled: memory.enabled,
      recent_turns: memory.recentTurns,
      max_context_tokens: memory.maxContextTokens,
      ttl_seconds: memory.ttlSeconds,
      max_turns: memory.maxTurns,
      timeout_ms: memory.timeoutMs,
    },
    rag: { enabled: rag.enabled, top_k: rag.topK, timeout_ms: rag.timeoutMs },
    files: { max_bytes: files.maxBytes },
  };
  if (config.rateLimits !== undefined) {
    document.rate_limits = config.rateLimits.map((rule) => {
      // `source: config` is added by the loader; the file does not write it.
      const { source: _source, ...metadata } = rule.metadata;
      return {
        id: rule.id,
        target: rule.target,
        requests_per_second: rule.perSecond,
        requests_per_minute: rule.perMinute,
        requests_per_hour: rule.perHour,
        burst_size: rule.burst,
        // The day window and token limits, which MarchProxy's message cannot carry, only when set.
        ...(rule.perDay > 0 ? { requests_per_day: rule.perDay } : {}),
        ...(rule.tokensPerSecond > 0 ? { tokens_per_second: rule.tokensPerSecond } : {}),
        ...(rule.tokensPerMinute > 0 ? { tokens_per_minute: rule.tokensPerMinute } : {}),
        ...(rule.tokensPerHour > 0 ? { tokens_per_hour: rule.tokensPerHour } : {}),
        ...(rule.tokensPerDay > 0 ? { tokens_per_day: rule.tokensPerDay } : {}),
        enabled: rule.enabled,
        ...(Object.keys(metadata).length > 0 ? { metadata } : {}),
      };
    });
  }
  // Hashes only: a `key: "${ENV}"` entry renders as the hash of the value it had.
  if (config.auth !== undefined && config.auth.keys.length > 0) document.keys = config.auth.keys.map(renderConfigKey);
  if (config.tenantBudgets !== undefined && Object.keys(config.tenantBudgets).length > 0) {
    document.tenants = Object.fromEntries(Object.entries(config.tenantBudgets).map(([tenant, budget]) => [tenant, { budget: { ...budget } }]));
  }
  return document;
}

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** Query parameter names that carry credentials (`api-key`, `key`, `access_token`, `sig`, `client_secret`, `password`, …). */
const CREDENTIAL_PARAMETER = /key|token|secret|pass|pwd|sig|auth|credential/i;

/**
 * A URL without its secrets: the password of its user info (whole, whatever it contains) and the value
 * of every query parameter whose name looks like a credential read `[REDACTED]`. Parsed with the
 * WHATWG URL parser, so the password is what any HTTP client would send; a value with nothing to
 * redact is returned as it was.
 */
export function redactUrl(value: string): string {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return value;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    // Not a URL any client would accept; still never show what looks like a password (up to the last @).
    return value.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/:@\s]*):[^/\s]*@/i, `$1:${REDACTED}@`);
  }
  let redacted = false;
  const parameters = url.search.slice(1).split('&').map((parameter) => {
    const separator = parameter.indexOf('=');
    if (separator < 0) return parameter;
    let name = parameter.slice(0, separator);
    try {
      name = decodeURIComponent(name.replace(/\+/g, ' '));
    } catch {
      // Malformed escapes: judge the name as written.
    }
    if (!CREDENTIAL_PARAMETER.test(name)) return parameter;
    redacted = true;
    return `${parameter.slice(0, separator)}=${REDACTED}`;
  });
  if (!url.password && !redacted) return value;
  const userInfo = url.username || url.password ? `${url.username}${url.password ? `:${REDACTED}` : ''}@` : '';
  const search = url.search ? `?${parameters.join('&')}` : '';
  return `${url.protocol}//${userInfo}${url.host}${url.pathname}${search}${url.hash}`;
}

/** The value at `path` (keys and indexes) in a document; undefined where there is none. */
function valueAt(document: unknown, path: ReadonlyArray<string | number>): unknown {
  let value = document;
  for (const key of path) {
    if (typeof key === 'number' ? !Array.isArray(value) : !isObject(value)) return undefined;
    value = (value as Record<string | number, unknown>)[key];
  }
  return value;
}

/**
 * A copy of `document` without secrets: every `api_key`, passwords and credential query parameters
 * in URLs, and every value the file took from `${ENV}`, shown as the file wrote it (`"${OPENAI_BASE_URL}"`).
 * `file` is the file's own document, resolved: a template is shown only where the value still is the
 * file's (where UpdateConfig changed it, the value shown is the one in force).
 */
export function redactConfig(document: ConfigFile, written: unknown, file: unknown = document): unknown {
  const redact = (value: unknown, path: Array<string | number>): unknown => {
    if (typeof value === 'string') {
      if (path[path.length - 1] === 'api_key') return REDACTED;
      const asWritten = valueAt(written, path);
      if (typeof asWritten === 'string' && asWritten.includes('${') && valueAt(file, path) === value) return asWritten;
      return redactUrl(value);
    }
    if (Array.isArray(value)) return value.map((item, index) => redact(item, [...path, index]));
    if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([name, item]) => [name, redact(item, [...path, name])]));
    return value;
  };
  return redact(document, []);
}

/**
 * JSON Merge Patch (RFC 7386): objects merge key by key, `null` removes a key, anything else (arrays
 * included) replaces the value. Returns a new value; neither argument is changed.
 */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return structuredClone(patch);
  const result: Record<string, unknown> = isObject(target) ? structuredClone(target) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

/** Deep equality of JSON values (key order ignored). */
export function sameJson(left: unknown, right: unknown): boolean {
  if (left === right) return true;
  if (Array.isArray(left) || Array.isArray(right)) {
    return Array.isArray(left) && Array.isArray(right) && left.length === right.length && left.every((item, index) => sameJson(item, right[index]));
  }
  if (isObject(left) && isObject(right)) {
    const keys = Object.keys(left).filter((key) => left[key] !== undefined);
    const otherKeys = Object.keys(right).filter((key) => right[key] !== undefined);
    return keys.length === otherKeys.length && keys.every((key) => sameJson(left[key], right[key]));
  }
  return false;
}

/** A configuration document as text: YAML (the config file's format) or JSON. */
export function configToText(document: unknown, format: 'yaml' | 'json'): string {
  return format === 'json' ? `${JSON.stringify(document, null, 2)}\n` : stringifyYaml(document);
}

/** Reads a configuration document from YAML or JSON text; throws an error saying what is wrong. */
export function configFromText(text: string, format: 'yaml' | 'json'): unknown {
  return format === 'json' ? JSON.parse(text) : parseYaml(text);
}
