import { runService } from '@ailb/shared/runtime';
import { startRedisEmbedder } from './redis-embedder.js';

// Split-mode embedder process: a Redis embedder under the shared process lifecycle. Nothing else lives here.
await runService('ailb-embedder', 'embedder', (config, logger) => startRedisEmbedder(config, logger));
