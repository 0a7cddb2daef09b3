import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import type { AppConfig, ConfigFile } from '../../contracts/config/config.schema.js';

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
      retries: { max_attempts_per_target: routing.retries.maxAttemptsPerTarget, backoff_base_ms: routing.retries.backoffBaseMs, backoff_max_ms: routing.retries.backoffMaxMs },
      circuit: {
        failure_threshold: routing.circuit.failureThreshold,
        cooldown_ms: routing.circuit.cooldownMs,
        ...(routing.circuit.errorRateThreshold === undefined ? {} : { error_rate_threshold: routing.circuit.errorRateThreshold }),
        min_samples: routing.circuit.minSamples,
      },
      ewma_alpha: routing.ewmaAlpha,
    },
    server: {
      http_port: config.http.port,
      http_host: config.http.host,
      grpc_port: config.grpc.port,
      grpc_host: config.grpc.host,
      body_limit_bytes: config.http.bodyLimitBytes,
      request_timeout_ms: config.requestTimeoutMs,
    },
    worker: { concurrency: config.worker.concurrency, lock_ms: config.worker.lockMs },
    tracing: { success_sample_rate: config.tracing.successSampleRate },
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
        enabled: rule.enabled,
        ...(Object.keys(metadata).length > 0 ? { metadata } : {}),
      };
    });
  }
  return document;
}

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** A copy of `document` without secrets: every `api_key`, every value the file took from `${ENV}` (shown as the file wrote it), and passwords in URLs. */
export function redactConfig(document: ConfigFile, written: unknown): unknown {
  const redact = (value: unknown, asWritten: unknown, key: string | undefined): unknown => {
    if (typeof value === 'string') {
      if (key === 'api_key') return REDACTED;
      if (typeof asWritten === 'string' && asWritten.includes('${')) return asWritten;
      return value.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/:@\s]*):[^/@\s]*@/i, `$1:${REDACTED}@`);
    }
    if (Array.isArray(value)) return value.map((item, index) => redact(item, Array.isArray(asWritten) ? asWritten[index] : undefined, undefined));
    if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([name, item]) => [name, redact(item, isObject(asWritten) ? asWritten[name] : undefined, name)]));
    return value;
  };
  return redact(document, written, undefined);
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
