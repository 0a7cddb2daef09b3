import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ADMIN_PREFIX, handleAdmin } from './admin-routes.js';
import type { SimulatorContext } from './chat-flow.js';
import { Exchange } from './exchange.js';
import { FaultScript } from './fault-script.js';
import type { ScriptedFault } from './faults.js';
import { RequestLog } from './request-log.js';
import { presentedApiKey, resolveRoute } from './routes.js';
import type { SimulatedProvider, SimulatedProviderOptions } from './simulated-provider-types.js';

/** Models served when the options name none. */
export const DEFAULT_SIMULATED_MODELS: readonly string[] = ['sim-small', 'sim-large'];

/**
 * Starts the simulated LLM provider: one HTTP server speaking OpenAI (`/v1/chat/completions`,
 * `/v1/models`, `/v1/embeddings`), Anthropic (`/v1/messages`, `/v1/models` with `anthropic-version`)
 * and Ollama (`/api/chat`, `/api/tags`, `/api/embed`), deterministically, with scripted faults.
 */
export async function startSimulatedProvider(options: SimulatedProviderOptions = {}): Promise<SimulatedProvider> {
  const host = options.host ?? '127.0.0.1';
  const log = new RequestLog(options.maxRecords);
  const script = new FaultScript();
  const context: SimulatorContext = {
    models: [...(options.models ?? DEFAULT_SIMULATED_MODELS)],
    latencyMs: options.latencyMs ?? 0,
    tokensPerSecond: options.tokensPerSecond ?? 0,
    script,
    prefill: options.prefill,
  };
  let serverClosing = false;

  const handleRequest = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const method = request.method ?? 'GET';
    const path = new URL(request.url ?? '/', 'http://simulator').pathname;
    if (path.startsWith(ADMIN_PREFIX)) return handleAdmin(request, response, path, { script, log });

    const route = resolveRoute(method, path, request.headers);
    const record = log.create(route.api, path, request.headers);
    const exchange = new Exchange(request, response, record, log, () => serverClosing);
    if (options.apiKey !== undefined && !route.public) {
      const presented = presentedApiKey(request.headers);
      if (presented !== options.apiKey) {
        request.resume();
        return exchange.sendJson(route.unauthorized(presented));
      }
    }
    await route.handle(exchange, context);
  };

  const server = createServer((request, response) => {
    handleRequest(request, response).catch((error: unknown) => {
      // A bug in the simulator must fail the test loudly, not hang it.
      if (response.headersSent) {
        response.destroy();
        return;
      }
      const text = JSON.stringify({ error: `simulated provider failure: ${(error as Error).message}` });
      response.writeHead(500, { 'content-type': 'application/json' }).end(text);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  let closed: Promise<void> | null = null;

  return {
    url: `http://${urlHost}:${port}`,
    port,
    requests: log.records,
    script(faults: ScriptedFault[]): void {
      script.add(faults);
    },
    reset(): void {
      log.clear();
      script.clear();
    },
    waitFor: (predicate, timeoutMs) => log.waitFor(predicate, timeoutMs),
    close(): Promise<void> {
      closed ??= new Promise<void>((resolve) => {
        serverClosing = true;
        server.close(() => resolve());
        // Stalled streams and unanswered requests would otherwise keep close() waiting forever.
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
