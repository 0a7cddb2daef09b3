import { ConfigError, loadConfig } from '@ailb/shared';
import { pino } from 'pino';
import { startRedisWorker } from './redis-worker.js';

// Split-mode worker process: config → Redis worker → signal handlers. Nothing else lives here.
const bootLogger = pino({ name: 'ailb-worker' });
try {
  const config = loadConfig();
  const logger = pino({ name: 'ailb-worker', level: config.logLevel });
  if (config.providers.length === 0) {
    throw new ConfigError('providers: none configured; set OPENAI_API_KEY, ANTHROPIC_API_KEY, OLLAMA_BASE_URL or AILB_CONFIG');
  }
  const worker = await startRedisWorker(config, logger);
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down: finishing in-flight jobs');
    worker.close().then(
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
  bootLogger.fatal(error instanceof ConfigError ? error.message : { err: error }, 'worker failed to start');
  process.exit(1);
}
