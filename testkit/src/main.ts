/*
 * CLI: `node testkit/dist/main.js [--port 9999] [--host 127.0.0.1] [--latency-ms N]
 * [--tokens-per-second N] [--models a,b]`. Reads only process.argv (configuration from the
 * environment belongs to AILB's own processes, not to this test double).
 */
import { startSimulatedProvider } from './simulated-provider.js';
import type { SimulatedProviderOptions } from './simulated-provider-types.js';

/** The CLI listens on a fixed port by default so the demo and benchmark can find it. */
const DEFAULT_CLI_PORT = 9999;

const USAGE =
  'usage: node testkit/dist/main.js [--port 9999] [--host 127.0.0.1] [--latency-ms N] [--tokens-per-second N] [--models a,b]';

/** Parses `--name value` and `--name=value` flags; throws with a usage line on anything else. */
function parseCliArguments(argv: readonly string[]): SimulatedProviderOptions {
  const options: SimulatedProviderOptions = { port: DEFAULT_CLI_PORT };
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index] ?? '';
    if (argument === '--help' || argument === '-h') throw new Error(USAGE);
    const [flag = '', inlineValue] = argument.split(/=(.*)/s, 2);
    const value = inlineValue ?? argv[++index];
    if (value === undefined) throw new Error(`${flag} needs a value\n${USAGE}`);
    const number = (): number => {
      const parsed = Number(value);
      if (!Number.isFinite(parsed) || parsed < 0) throw new Error(`${flag}: expected a non-negative number, got "${value}"`);
      return parsed;
    };
    switch (flag) {
      case '--port':
        options.port = number();
        break;
      case '--host':
        options.host = value;
        break;
      case '--latency-ms':
        options.latencyMs = number();
        break;
      case '--tokens-per-second':
        options.tokensPerSecond = number();
        break;
      case '--models':
        options.models = value.split(',').map((model) => model.trim()).filter(Boolean);
        break;
      default:
        throw new Error(`unknown argument ${argument}\n${USAGE}`);
    }
  }
  return options;
}

async function main(): Promise<void> {
  let options: SimulatedProviderOptions;
  try {
    options = parseCliArguments(process.argv.slice(2));
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
  const provider = await startSimulatedProvider(options);
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal} received, stopping the simulated provider`);
    provider.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  // Handlers first: a supervisor may signal as soon as it reads the URL line.
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  console.log(`Simulated provider listening on ${provider.url}`);
  console.log(`  OpenAI base URL:    ${provider.url}/v1`);
  console.log(`  Anthropic base URL: ${provider.url}`);
  console.log(`  Ollama base URL:    ${provider.url}`);
}

await main();
