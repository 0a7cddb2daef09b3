import type { AppConfig } from '../../index.js';
import { ConfigError, type Role } from '../config/load-config.js';
import { createConfigSource, type ConfigSource } from '../config/config-source.js';
import { ReloadSignal } from './reload-signal.js';
import { pino, type Logger } from 'pino';

/** A started service: anything with an idempotent, draining close. */
export interface RunningService {
  close(): Promise<void>;
  /**
   * Re-reads the configuration and applies what can change while running, without dropping
   * in-flight work; SIGHUP calls it (absent: SIGHUP has Node's default behaviour once started). Resolves
   * with what was done; rejects, changing nothing, when the new configuration is refused.
   */
  reload?(): Promise<string>;
}

/** What a running service may ask of the process that runs it. */
export interface ServiceLifecycle {
  /**
   * Shuts the process down the way SIGTERM does (stop intake, finish in-flight work, close, exit),
   * but gives up after `deadlineMs`: then the process exits with status 1 whatever is still running.
   * Used by the gRPC `Shutdown` RPC. Later calls while shutting down change nothing.
   */
  requestShutdown(reason: string, deadlineMs: number): void;
  /** Reads `AILB_CONFIG` and the environment again for this role (the ModuleService's Reload, SIGHUP). */
  configSource?: ConfigSource;
  /** The config file as written (before `${ENV}` interpolation) that the configuration came from, to redact what the environment filled in. */
  configWritten?: unknown;
}

/** Fields that hold a credential wherever AILB logs them. */
const SECRET_FIELDS = ['api_key', 'apiKey', 'authorization', 'authToken', 'masterKey'];

/**
 * Where secrets can sit in a log line, censored by pino before the line is written (configuration, not
 * care at each call site): credential headers wherever a request's headers are logged (`headers` of
 * the request log's debug line, Fastify's `req.headers`), secret fields at the top of a line or of a
 * provider entry (`providers[*]`, `config.providers[*]`), the auth section's master key, and the text
 * a prompt-scanner finding matched, should a finding ever carry one (findings hold kind, rule and
 * span). Explicit paths only: a leading `*` wildcard made every line about 14 µs dearer (measured with
 * pino to /dev/null), on every request's line.
 */
export const LOG_REDACT_PATHS: readonly string[] = [
  ...['headers', 'req.headers'].flatMap((at) => ['authorization', '"x-api-key"', '"api-key"', 'cookie', '"proxy-authorization"'].map((name) => `${at}[${name}]`)),
  ...SECRET_FIELDS,
  ...SECRET_FIELDS.flatMap((field) => [`providers[*].${field}`, `config.providers[*].${field}`]),
  'auth.masterKey',
  'config.auth.masterKey',
  'scan.findings[*].text',
];

/**
 * The process lifecycle every AILB entry point shares: read the role's config once, build the logger, start the
 * service, drain it on SIGTERM/SIGINT (or `lifecycle.requestShutdown`) and exit; SIGHUP reloads (held
 * while starting: see {@link ReloadSignal}). A config error is logged as its message (it names the
 * key); anything else with its stack. Headers that carry credentials are redacted from every log line.
 */
export async function runService(
  name: string,
  role: Role,
  start: (config: AppConfig, logger: Logger, lifecycle: ServiceLifecycle) => Promise<RunningService>,
): Promise<void> {
  const redact = { paths: [...LOG_REDACT_PATHS], censor: '[redacted]' };
  const bootLogger = pino({ name, redact });
  try {
    const configSource = createConfigSource(process.env, role);
    const { config, written: configWritten } = configSource.read();
    const logger = pino({ name, level: config.logLevel, redact });
    // At once: a SIGHUP while starting would otherwise end the process (Node's default).
    const reloadSignal = new ReloadSignal(logger);
    let service: RunningService | undefined;
    let shuttingDown = false;
    // A request that arrives while the service is still starting (its gRPC port is already open) waits for it.
    let deferred: (() => void) | undefined;
    const shutdown = (signal: string, deadlineMs?: number) => {
      if (shuttingDown) return;
      if (!service) {
        deferred ??= () => shutdown(signal, deadlineMs);
        return;
      }
      shuttingDown = true;
      logger.info({ signal, deadlineMs }, 'shutting down: no new work, finishing in-flight work');
      if (deadlineMs !== undefined) {
        setTimeout(() => {
          logger.error({ deadlineMs }, 'shutdown deadline passed with work still in flight: exiting');
          process.exit(1);
        }, deadlineMs).unref();
      }
      service.close().then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
    };
    service = await start(config, logger, { requestShutdown: (reason, deadlineMs) => shutdown(reason, deadlineMs), configSource, configWritten });
    deferred?.();
    process.once('SIGTERM', () => shutdown('SIGTERM'));
    process.once('SIGINT', () => shutdown('SIGINT'));
    void reloadSignal.started(service.reload?.bind(service));
  } catch (error) {
    bootLogger.fatal(error instanceof ConfigError ? error.message : { err: error }, `${name} failed to start`);
    process.exit(1);
  }
}
