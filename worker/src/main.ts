import { noProvidersError } from '@ailb/shared';
import { runService } from './lifecycle/run-service.js';
import { startRedisWorker } from './redis-worker.js';

// Split-mode worker process: a Redis worker under the shared process lifecycle. Nothing else lives here.
await runService('ailb-worker', async (config, logger) => {
  if (config.providers.length === 0) throw noProvidersError();
  return startRedisWorker(config, logger);
});
