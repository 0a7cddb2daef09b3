import { runService } from '@ailb/shared/runtime';
import { startRedisWorker } from './redis-worker.js';

// Split-mode worker process: a Redis worker under the shared process lifecycle. Nothing else lives here.
await runService('ailb-worker', 'worker', (config, logger) => startRedisWorker(config, logger));
