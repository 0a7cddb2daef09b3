import { runService } from '@ailb/shared/runtime';
import { startStandalone } from './start-standalone.js';

// `npm start`: every role in one process (the embedded default, or one node of a split deployment
// when REDIS_URL is set), under the shared process lifecycle.
await runService('ailb', 'standalone', (config, logger, lifecycle) => startStandalone(config, logger, { requestShutdown: lifecycle.requestShutdown, configSource: lifecycle.configSource, configWritten: lifecycle.configWritten }));
