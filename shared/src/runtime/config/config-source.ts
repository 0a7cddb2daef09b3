import { configFileSchema } from '../../contracts/config/config.schema.js';
import { ConfigError, configIssues, interpolate, readConfig, resolveConfig, withoutKeys, type ConfigReading, type Env, type Role } from './load-config.js';

/** The outcome of checking a document: its configuration, or every problem, each naming its key. */
export type ConfigResolution = { reading: ConfigReading } | { problems: string[] };

/**
 * Where a process's configuration comes from, kept so it can be read again while running: the
 * ModuleService's `Reload` and SIGHUP re-read the file and the environment, and `UpdateConfig`
 * resolves a document sent over the network through the same loader.
 */
export interface ConfigSource {
  /** The role the configuration is read for. */
  readonly role: Role;
  /** `AILB_CONFIG` as set in the environment (the file re-read), undefined without one. */
  readonly path: string | undefined;
  /** Reads `AILB_CONFIG` and the environment again, as at start. Throws a {@link ConfigError} naming the key. */
  read(): ConfigReading;
  /**
   * Checks a document in the config file's shape (parsed YAML or JSON) sent over the network or
   * stored for the deployment: the schema (every problem listed, each naming its key), then
   * resolution as at start, env vars winning. Never `${NAME}` interpolation: only the AILB_CONFIG file
   * may read the environment, else a caller could read any variable out (a `${…}` is kept as text).
   */
  resolve(document: unknown): ConfigResolution;
  /**
   * Resolves the config file as written (a reading's `written`, `{}` without a file) the way it was
   * read, `${NAME}` included, but without the environment variables that override changeable keys
   * (`ROUTING_STRATEGY`, `AILB_TRACE_SAMPLE_RATE`): what the file itself says, for UpdateConfig to
   * build on without carrying this process's overrides to every gateway.
   */
  resolveFile(written: unknown): ConfigResolution;
}

/** Runs one resolution step, turning a {@link ConfigError} into a problem. */
function attempt<T>(step: () => T): { value: T } | { problems: string[] } {
  try {
    return { value: step() };
  } catch (error) {
    if (error instanceof ConfigError) return { problems: [error.message] };
    throw error;
  }
}

/**
 * The configuration source of a process: its environment (`process.env` in production, a map in
 * tests) and role. Nothing is read until asked.
 */
export function createConfigSource(env: Env, role: Role): ConfigSource {
  // A gateway never holds provider keys, whatever a document says.
  const keysFor = (raw: unknown) => (role === 'gateway' ? withoutKeys(raw) : raw);
  const check = (document: unknown, written: unknown, environmentOverrides: boolean): ConfigResolution => {
    const parsed = configFileSchema.safeParse(document);
    if (!parsed.success) return { problems: configIssues(parsed.error) };
    const resolved = attempt(() => resolveConfig(parsed.data, env, role, { environmentOverrides }));
    return 'problems' in resolved ? resolved : { reading: { config: resolved.value, written } };
  };
  return {
    role,
    path: env.AILB_CONFIG?.trim() || undefined,
    read: () => readConfig(env, role),
    resolve: (document) => check(keysFor(document ?? {}), document ?? {}, true),
    resolveFile(written) {
      const interpolated = attempt(() => interpolate(keysFor(written ?? {}), env, ''));
      return 'problems' in interpolated ? interpolated : check(interpolated.value, written ?? {}, false);
    },
  };
}
