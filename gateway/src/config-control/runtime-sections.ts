import { configFileSchema, type AppConfig, type ConfigFile } from '@ailb/shared';
import { mergePatch, sameJson } from '@ailb/shared/runtime';

/*
 * Which parts of the configuration a running gateway changes in place (UpdateConfig, Reload, SIGHUP),
 * and which need a restart. Changeable: `routes`, `routing.strategy`, `routing.timeouts`,
 * `routing.retries`, `routing.continue_streams`, `routing.hedge_after_ms` (a plan carries its time
 * limits, retry policy, hedging and continuation to the worker), `tracing` and
 * `rate_limits`. Everything else needs a restart: `providers` (workers hold their keys and clients),
 * `server` (bound sockets, the request deadline of every job), `worker`, `embedder`, `memory`, `rag`,
 * `files` (other processes or clients built at start), `routing.circuit` and `routing.ewma_alpha`
 * (workers compute circuits and averages with them, so gateways alone cannot change them).
 */

/** Top-level sections a running gateway changes whole. */
const RUNTIME_SECTIONS = ['routes', 'tracing', 'rate_limits'] as const;
/** Keys of `routing` a running gateway changes. */
const RUNTIME_ROUTING_KEYS = ['strategy', 'timeouts', 'retries', 'continue_streams', 'hedge_after_ms'] as const;

/** Every changeable key, as written in messages. */
export const RUNTIME_KEYS: readonly string[] = [...RUNTIME_SECTIONS, ...RUNTIME_ROUTING_KEYS.map((key) => `routing.${key}`)];

type Document = Record<string, unknown>;
const isObject = (value: unknown): value is Document => value !== null && typeof value === 'object' && !Array.isArray(value);

/** The changeable sections of a document (what UpdateConfig stores for every gateway). */
export function runtimeSections(document: ConfigFile): ConfigFile {
  const sections: Document = {};
  for (const key of RUNTIME_SECTIONS) if (document[key] !== undefined) sections[key] = structuredClone(document[key]);
  const routing: Document = {};
  for (const key of RUNTIME_ROUTING_KEYS) if (document.routing?.[key] !== undefined) routing[key] = structuredClone(document.routing[key]);
  if (Object.keys(routing).length > 0) sections.routing = routing;
  return sections as ConfigFile;
}

/** `document` with its changeable sections taken from `sections` (one absent there is removed). */
export function withRuntimeSections(document: ConfigFile, sections: ConfigFile): ConfigFile {
  const result = structuredClone(document) as Document;
  for (const key of RUNTIME_SECTIONS) {
    if (sections[key] === undefined) delete result[key];
    else result[key] = structuredClone(sections[key]);
  }
  const routing: Document = isObject(result.routing) ? result.routing : {};
  for (const key of RUNTIME_ROUTING_KEYS) {
    if (sections.routing?.[key] === undefined) delete routing[key];
    else routing[key] = structuredClone(sections.routing[key]);
  }
  if (Object.keys(routing).length > 0) result.routing = routing;
  else delete result.routing;
  return result as ConfigFile;
}

/**
 * Splits a merge patch of the configuration into what a running gateway may apply and what needs a
 * restart. `running` is the document as GetConfig shows it (secrets redacted, `${ENV}` values as
 * written), so that document can be edited and sent back whole: a restart-only key is refused only
 * when the patch would change it. Keys the config file does not have are kept in the changeable
 * part, where the schema names them.
 */
export function splitPatch(patch: Document, running: unknown): { runtime: Document; restartOnly: string[] } {
  const runtime: Document = {};
  const restartOnly: string[] = [];
  const base = isObject(running) ? running : {};
  const fileKeys = new Set(Object.keys(configFileSchema.shape));
  for (const [key, value] of Object.entries(patch)) {
    if ((RUNTIME_SECTIONS as readonly string[]).includes(key) || !fileKeys.has(key)) {
      runtime[key] = value;
    } else if (key === 'routing' && (isObject(value) || value === null)) {
      const routingBase = isObject(base.routing) ? base.routing : {};
      // `routing: null` removes every routing key, the restart-only ones too.
      const routingPatch: Document = value ?? Object.fromEntries(Object.keys(routingBase).map((name) => [name, null]));
      const runtimeRouting: Document = {};
      for (const [name, item] of Object.entries(routingPatch)) {
        if ((RUNTIME_ROUTING_KEYS as readonly string[]).includes(name) || !(name in configFileSchema.shape.routing.unwrap().shape)) runtimeRouting[name] = item;
        else restartOnly.push(...changedPaths(routingBase[name], item, `routing.${name}`));
      }
      if (Object.keys(runtimeRouting).length > 0) runtime.routing = runtimeRouting;
    } else {
      restartOnly.push(...changedPaths(base[key], value, key));
    }
  }
  return { runtime, restartOnly: restartOnly.map((path) => `${path}: cannot change while running; restart the gateways and workers with the new value (changeable while running: ${RUNTIME_KEYS.join(', ')})`) };
}

/** The keys under `path` that applying `patch` to `base` would change. */
function changedPaths(base: unknown, patch: unknown, path: string): string[] {
  if (isObject(patch) && isObject(base)) return Object.entries(patch).flatMap(([key, value]) => changedPaths(base[key], value, `${path}.${key}`));
  if (patch === null) return base === undefined ? [] : [path];
  return sameJson(mergePatch(base, patch), base) ? [] : [path];
}

/** The restart-only keys on which two documents differ (a reloaded file against the running one). */
export function restartOnlyDifferences(running: ConfigFile, next: ConfigFile): string[] {
  const strip = (document: ConfigFile) => withRuntimeSections(document, {});
  const { restartOnly } = splitPatch(withNulls(strip(running), strip(next)), strip(running));
  return restartOnly;
}

/** A merge patch turning `from` into `to` (keys missing in `to` become null). */
function withNulls(from: unknown, to: unknown): Document {
  const patch: Document = isObject(to) ? structuredClone(to) : {};
  if (isObject(from)) for (const key of Object.keys(from)) if (!(key in patch)) patch[key] = null;
  for (const [key, value] of Object.entries(patch)) {
    if (isObject(value) && isObject(from) && isObject(from[key])) patch[key] = withNulls(from[key], value);
  }
  return patch;
}

/** The running configuration with the changeable parts of `next`; everything else stays as it runs. */
export function withRuntimeParts(running: AppConfig, next: AppConfig): AppConfig {
  return {
    ...running,
    routes: next.routes,
    routing: { ...running.routing, strategy: next.routing.strategy, timeouts: next.routing.timeouts, retries: next.routing.retries, continueStreams: next.routing.continueStreams, hedgeAfterMs: next.routing.hedgeAfterMs },
    tracing: next.tracing,
    rateLimits: next.rateLimits,
  };
}

/** `document` with the changeable keys an env var may decide (see {@link environmentShadows}) as `configured` has them. */
export function withoutEnvironmentOverrides(document: ConfigFile, configured: ConfigFile): ConfigFile {
  const result = structuredClone(document);
  if (configured.routing?.strategy !== undefined) result.routing = { ...result.routing, strategy: configured.routing.strategy };
  if (configured.tracing?.success_sample_rate !== undefined) result.tracing = { ...result.tracing, success_sample_rate: configured.tracing.success_sample_rate };
  return result;
}

/**
 * Changeable keys whose value the environment decides on this gateway (env vars win over the file, as
 * at start): a change of them would not take effect, so it is refused, naming the variable.
 */
export function environmentShadows(document: ConfigFile, resolved: AppConfig): string[] {
  const problems: string[] = [];
  const strategy = document.routing?.strategy;
  if (strategy !== undefined && strategy !== resolved.routing.strategy) {
    problems.push(`routing.strategy: the environment variable ROUTING_STRATEGY ("${resolved.routing.strategy}") wins over the configuration's "${strategy}" on this gateway; unset it there to change the strategy while running`);
  }
  const rate = document.tracing?.success_sample_rate;
  if (rate !== undefined && rate !== resolved.tracing.successSampleRate) {
    problems.push(`tracing.success_sample_rate: the environment variable AILB_TRACE_SAMPLE_RATE (${resolved.tracing.successSampleRate}) wins over the configuration's ${rate} on this gateway; unset it there to change the rate while running`);
  }
  return problems;
}
