import type { AppConfig } from '../../index.js';
import { ConfigError, loadConfig, type Role } from '../config/load-config.js';
import { pino, type Logger } from 'pino';

/** A started service: anything with an idempotent, draining close. */
export interface RunningService {
  close(): Promise<void>;
}

/**
 * The process lifecycle every AILB entry point shares: read the role's config once, build the logger, start the
 * service, drain it on SIGTERM/SIGINT and exit. A config error is logged as its message (it names the
 * key); anything else with its stack. Headers that carry credentials are redacted from every log line.
 */
export async function runService(name: string, role: Role, start: (config: AppConfig, logger: Logger) => Promise<RunningService>): Promise<void> {
  const redact = ['req.headers.authorization', 'req.headers["x-api-key"]'];
  const bootLogger = pino({ name, redact });
  try {
    const config = loadConfig(process.env, role);
    const logger = pino({ name, level: config.logLevel, redact });
    const service = await start(config, logger);
    const shutdown = (signal: string) => {
      logger.info({ signal }, 'shutting down: no new work, finishing in-flight work');
      service.close().then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
    };
    process.once('SIGTERM', () => shutdown('SIGTERM'));
    process.once('SIGINT', () => shutdown('SIGINT'));
  } catch (error) {
    bootLogger.fatal(error instanceof ConfigError ? error.message : { err: error }, `${name} failed to start`);
    process.exit(1);
  }
}
