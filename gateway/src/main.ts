import { ConfigError, loadConfig } from '@ailb/shared';
import { pino } from 'pino';
import { startServer, type Role } from './server.js';

// Process entry: config → server → signal handlers. `--role=gateway` runs the edge only (split mode).
const roleArgument = process.argv.find((argument) => argument.startsWith('--role='))?.slice('--role='.length) ?? 'all';
const bootLogger = pino({ name: 'ailb' });
try {
  if (roleArgument !== 'all' && roleArgument !== 'gateway') throw new ConfigError(`--role: must be "all" or "gateway", got "${roleArgument}"`);
  const config = loadConfig();
  const logger = pino({ name: 'ailb', level: config.logLevel, redact: ['req.headers.authorization', 'req.headers["x-api-key"]'] });
  const server = await startServer(config, logger, roleArgument as Role);
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down: no new requests, finishing in-flight ones');
    server.close().then(
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
  bootLogger.fatal(error instanceof ConfigError ? error.message : { err: error }, 'AILB failed to start');
  process.exit(1);
}
