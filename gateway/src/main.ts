import { ConfigError } from '@ailb/shared';
import { runService } from '@ailb/worker';
import { startServer } from './server.js';

// Process entry: the server under the shared process lifecycle. `--role=gateway` runs the edge only
// (split mode); the default `all` runs a worker in the same process.
const role = process.argv.find((argument) => argument.startsWith('--role='))?.slice('--role='.length) ?? 'all';
await runService('ailb', async (config, logger) => {
  if (role !== 'all' && role !== 'gateway') throw new ConfigError(`--role: must be "all" or "gateway", got "${role}"`);
  return startServer(config, logger, role);
});
