import { configFileSchema, findRouteProblems, routeConfigSchema, type AppConfig, type ConfigFile, type RouteOverride } from '@ailb/shared';
import { mergePatch, redactConfig, renderConfig, type ConfigReading, type ConfigSource } from '@ailb/shared/runtime';
import { describeLayerProblem, findLayerProblems, layerRoutes } from '../routing/route-layers.js';
import { environmentShadows, runtimeSections, splitPatch, withoutEnvironmentOverrides, withRuntimeParts, withRuntimeSections } from './runtime-sections.js';

/** A refused configuration change: nothing was applied. Every problem names its key. */
export class ConfigRefused extends Error {
  constructor(
    readonly problems: string[],
    summary = 'the configuration was refused',
  ) {
    super(`${summary}: ${problems.join('; ')}`);
    this.name = 'ConfigRefused';
  }
}

/** What an UpdateConfig is checked against: the deployment's configuration and this gateway's file. */
export interface ConfigUpdateContext {
  /**
   * What the patch applies to: this gateway's file with the changeable sections as the deployment
   * has them (the stored ones, else the file's), as configured — env-var overrides not applied.
   */
  document: ConfigFile;
  /** This gateway's file, resolved the same way: the values its `${NAME}` references took. */
  file: ConfigFile;
  /** The config file as written (its `${NAME}` references, which GetConfig shows). */
  written: unknown;
  /** The configuration this gateway's file gives (what cannot change while running stays as it runs). */
  running: AppConfig;
  /** Resolves a document with this gateway's environment, through the loader (never interpolating). */
  source: ConfigSource;
  /** Route overrides in force (UpdateRoutes): the new routes must hold with them. */
  overrides: readonly RouteOverride[];
}

/** An UpdateConfig that holds: the resolved configuration and the sections every gateway applies. */
export interface ConfigUpdatePlan {
  config: AppConfig;
  /** The changeable sections of the new document, stored for every gateway: plain values, no `${NAME}`. */
  sections: ConfigFile;
}

type Path = Array<string | number>;
const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);
const formatPath = (path: Path) => path.reduce<string>((text, key) => (typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${key}` : key), '');
const valueAt = (document: unknown, path: Path): unknown =>
  path.reduce<unknown>((value, key) => (typeof key === 'number' ? (Array.isArray(value) ? value[key] : undefined) : isObject(value) ? value[key] : undefined), document);

/**
 * A document sent over the network is never interpolated: a `${NAME}` in it would read this
 * gateway's environment out (a route named `${OPENAI_API_KEY}` shows in GetRoutes and /v1/models). The
 * one exception keeps GetConfig's document usable as a template: a `${NAME}` exactly where the file
 * has that same reference is the file's value, taken as the file resolved it. Every other one is a
 * problem naming its key, the same whether the variable is set or not.
 */
function fileReferences(patch: unknown, written: unknown, file: unknown): { patch: unknown; problems: string[] } {
  const problems: string[] = [];
  const walk = (value: unknown, at: Path): unknown => {
    if (typeof value === 'string' && value.includes('${')) {
      const resolved = valueAt(file, at);
      if (valueAt(written, at) === value && resolved !== undefined) return structuredClone(resolved);
      problems.push(`${formatPath(at)}: \${…} references are only resolved in the AILB_CONFIG file; send the value`);
      return value;
    }
    if (Array.isArray(value)) return value.map((item, index) => walk(item, [...at, index]));
    if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, walk(item, [...at, key])]));
    return value;
  };
  return { patch: walk(patch, []), problems };
}

/**
 * Checks an UpdateConfig document — a JSON Merge Patch (RFC 7386) of the configuration as GetConfig
 * shows it — and lists every problem, each naming its key: restart-only keys it would change,
 * `${NAME}` references, schema problems, route problems (with the route overrides in force too), and
 * changeable keys an environment variable decides on this gateway. Resolution is the loader's.
 */
export function planConfigUpdate(patch: unknown, context: ConfigUpdateContext): { plan: ConfigUpdatePlan } | { problems: string[] } {
  if (!isObject(patch)) return { problems: ['config_data: must be a mapping of config file keys (YAML or JSON), e.g. {"routing": {"strategy": "failover"}}'] };
  // Restart-only keys are compared with what GetConfig shows (secrets redacted, `${NAME}` as written).
  const { runtime, restartOnly } = splitPatch(patch, redactConfig(context.document, context.written, context.file));
  const references = fileReferences(runtime, context.written, context.file);
  const document = mergePatch(context.document, references.patch) as ConfigFile;
  const problems = [...restartOnly, ...references.problems];
  // A reference refused is kept as text; what the rules then say about that text would only be noise.
  const refused = new Set(references.problems.map((problem) => problem.slice(0, problem.indexOf(': ${'))));
  const listed = () => ({ problems: problems.filter((problem, index) => index < restartOnly.length + references.problems.length || !refused.has(problem.slice(0, problem.indexOf(':')))) });

  // Every route problem at once (resolution stops at the first one).
  const routes = routeConfigSchema.array().safeParse(document.routes ?? []);
  if (routes.success) problems.push(...findRouteProblems(routes.data, context.running.providers));
  const resolution = context.source.resolve(document);
  if ('problems' in resolution) {
    for (const problem of resolution.problems) if (!problems.includes(problem)) problems.push(problem);
    return listed();
  }
  const resolved = resolution.reading.config;
  problems.push(...environmentShadows(document, resolved));
  for (const problem of findLayerProblems(layerRoutes(resolved.routes, context.overrides), resolved.providers)) {
    if (problem.route.source === 'grpc') problems.push(`${describeLayerProblem(problem, resolved.routes)}: change or delete that route (UpdateRoutes, DeleteRoute) first`);
    else problems.push(describeLayerProblem(problem, resolved.routes));
  }
  if (problems.length > 0) return listed();
  return { plan: { config: withRuntimeParts(context.running, resolved), sections: runtimeSections(document) } };
}

/**
 * The file's configuration with the changeable sections of the deployment's stored document,
 * resolved on this gateway (never interpolated), or why this gateway cannot run them as they are —
 * a route needs a deployment it lacks, or an env var such as ROUTING_STRATEGY decides a key otherwise.
 */
export function resolveStoredSections(running: AppConfig, sections: ConfigFile, resolver: ConfigSource): { config: AppConfig } | { problems: string[] } {
  const document = withRuntimeSections(renderConfig(running), sections);
  const resolution = resolver.resolve(document);
  if ('problems' in resolution) return resolution;
  const shadows = environmentShadows(document, resolution.reading.config);
  return shadows.length > 0 ? { problems: shadows } : { config: withRuntimeParts(running, resolution.reading.config) };
}

/**
 * This gateway's file as the document UpdateConfig builds on when the deployment stores none: the
 * keys an env var may decide (ROUTING_STRATEGY …) as the file itself sets them, so this process's
 * overrides are not stored for every gateway. Without a source (built in-process): the configuration.
 */
export function configuredDocument(reading: ConfigReading, source: ConfigSource | undefined): ConfigFile {
  const rendered = renderConfig(reading.config);
  const resolution = source?.resolveFile(reading.written);
  return !resolution || 'problems' in resolution ? rendered : withoutEnvironmentOverrides(rendered, renderConfig(resolution.reading.config));
}

/** The stored `config` document: the changeable sections every gateway applies, and their id. */
export interface StoredConfig {
  sections: ConfigFile;
  configId: string;
}

/** Reads a stored `config` document; undefined when another version of AILB wrote what this one cannot read. */
export function parseStoredConfig(value: string): StoredConfig | undefined {
  try {
    const raw = JSON.parse(value) as { sections?: unknown; configId?: unknown };
    const sections = configFileSchema.safeParse(raw.sections);
    return sections.success && typeof raw.configId === 'string' ? { sections: sections.data, configId: raw.configId } : undefined;
  } catch {
    return undefined;
  }
}
