import { configFileSchema, findRouteProblems, routeConfigSchema, type AppConfig, type ConfigFile, type RouteOverride } from '@ailb/shared';
import { mergePatch, redactConfig, renderConfig, type ConfigSource } from '@ailb/shared/runtime';
import { describeLayerProblem, findLayerProblems, layerRoutes } from '../routing/route-layers.js';
import { environmentShadows, runtimeSections, splitPatch, withRuntimeParts } from './runtime-sections.js';

/** What an UpdateConfig is checked against: the configuration running on this gateway and where it came from. */
export interface ConfigUpdateContext {
  /** The configuration this gateway runs on now. */
  running: AppConfig;
  /** The config file as written (to show `${ENV}` values as written, like GetConfig). */
  written: unknown;
  /** Resolves a document with this gateway's environment, through the loader. */
  source: ConfigSource;
  /** Route overrides in force (UpdateRoutes): the new routes must hold with them. */
  overrides: readonly RouteOverride[];
}

/** An UpdateConfig that holds: the resolved configuration and the sections every gateway applies. */
export interface ConfigUpdatePlan {
  config: AppConfig;
  /** The changeable sections of the new document, stored for every gateway. */
  sections: ConfigFile;
}

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * Checks an UpdateConfig document — a JSON Merge Patch (RFC 7386) of the running configuration as
 * GetConfig shows it — and lists every problem, each naming its key: restart-only keys it would
 * change, schema problems, route problems (with the route overrides in force too), and changeable keys
 * an environment variable decides on this gateway. Resolution is the loader's, as at start.
 */
export function planConfigUpdate(patch: unknown, context: ConfigUpdateContext): { plan: ConfigUpdatePlan } | { problems: string[] } {
  if (!isObject(patch)) return { problems: ['config_data: must be a mapping of config file keys (YAML or JSON), e.g. {"routing": {"strategy": "failover"}}'] };
  const running = renderConfig(context.running);
  const { runtime, restartOnly } = splitPatch(patch, redactConfig(running, context.written));
  const document = mergePatch(running, runtime) as ConfigFile;
  const problems = [...restartOnly];

  // Every route problem at once (resolution stops at the first one).
  const routes = routeConfigSchema.array().safeParse(document.routes ?? []);
  if (routes.success) problems.push(...findRouteProblems(routes.data, context.running.providers));
  const resolution = context.source.resolve(document);
  if ('problems' in resolution) {
    for (const problem of resolution.problems) if (!problems.includes(problem)) problems.push(problem);
    return { problems };
  }
  const resolved = resolution.reading.config;
  problems.push(...environmentShadows(document, resolved));
  for (const problem of findLayerProblems(layerRoutes(resolved.routes, context.overrides), resolved.providers)) {
    if (problem.route.source === 'grpc') problems.push(`${describeLayerProblem(problem, resolved.routes)}: change or delete that route (UpdateRoutes, DeleteRoute) first`);
    else problems.push(describeLayerProblem(problem, resolved.routes));
  }
  if (problems.length > 0) return { problems };
  return { plan: { config: withRuntimeParts(context.running, resolved), sections: runtimeSections(document) } };
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
