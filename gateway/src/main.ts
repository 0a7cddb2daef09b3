import { runService } from '@ailb/shared/runtime';
import { startRedisGateway } from './start-gateway.js';

// Split-mode gateway process: the HTTP edge only (no provider calls, no provider keys), under the
// shared process lifecycle.
await runService('ailb-gateway', 'gateway', (config, logger, lifecycle) => startRedisGateway(config, logger, { requestShutdown: lifecycle.requestShutdown, configSource: lifecycle.configSource, configWritten: lifecycle.configWritten }));
