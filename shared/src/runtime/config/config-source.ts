import { configFileSchema } from '../../contracts/config/config.schema.js';
import { ConfigError, configIssues, interpolate, readConfig, resolveConfig, withoutKeys, type ConfigReading, type Env, type Role } from './load-config.js';

/**
 * Where a process's configuration comes from, kept so it can be read again while running: the
 * ModuleService's `Reload` and SIGHUP re-read the file and the environment, and `UpdateConfig`
 * resolves a document sent over the network through the same loader, with this process's environment.
 */
export interface ConfigSource {
  /** The role the configuration is read for. */
  readonly role: Role;
  /** `AILB_CONFIG` as set in the environment (the file re-read), undefined without one. */
  readonly path: string | undefined;
  /** Reads `AILB_CONFIG` and the environment again, as at start. Throws a {@link ConfigError} naming the key. */
  read(): ConfigReading;
  /**
   * Checks a document in the config file's shape (parsed YAML or JSON): `${ENV}` interpolation, the
   * schema (every problem listed, each naming its key), then resolution as at start, env vars winning.
   */
  resolve(document: unknown): { reading: ConfigReading } | { problems: string[] };
}

/**
 * The configuration source of a process: its environment (`process.env` in production, a map in
 * tests) and role. Nothing is read until asked.
 */
export function createConfigSource(env: Env, role: Role): ConfigSource {
  return {
    role,
    path: env.AILB_CONFIG?.trim() || undefined,
    read: () => readConfig(env, role),
    resolve(document) {
      const raw = document ?? {};
      let interpolated: unknown;
      try {
        // A gateway never holds provider keys, whatever a document says.
        interpolated = interpolate(role === 'gateway' ? withoutKeys(raw) : raw, env, '');
      } catch (error) {
        if (error instanceof ConfigError) return { problems: [error.message] };
        throw error;
      }
      const parsed = configFileSchema.safeParse(interpolated);
      if (!parsed.success) return { problems: configIssues(parsed.error) };
      try {
        return { reading: { config: resolveConfig(parsed.data, env, role), written: raw } };
      } catch (error) {
        if (error instanceof ConfigError) return { problems: [error.message] };
        throw error;
      }
    },
  };
}
