import { createServer, type Server } from 'node:http';
import type { Logger } from 'pino';

/** What a Prometheus registry offers (prom-client's `Registry`), so shared needs no metrics library. */
export interface MetricsSource {
  readonly contentType: string;
  metrics(): Promise<string>;
}

export interface OpsHttpOptions {
  host: string;
  port: number;
  /** The registry served on `GET /metrics`. */
  registry: MetricsSource;
  /** `GET /readyz`: 200 while it says true, 503 before; absent: no /readyz. */
  ready?: () => boolean;
  logger: Pick<Logger, 'info' | 'warn'>;
  /** What the listening line says, e.g. `worker metrics listening`. */
  listeningMessage: string;
}

export interface OpsHttp {
  url: string;
  /** Stops listening; idempotent. */
  close(): Promise<void>;
}

/** An error in OpenAI's envelope, as every AILB answer is. */
const errorBody = (message: string, code: string) => JSON.stringify({ error: { message, type: 'invalid_request_error', param: null, code } });

/**
 * The small HTTP face of a split-mode worker or embedder for operators (METRICS_HOST:METRICS_PORT):
 * `GET /metrics` in Prometheus's text format, `GET /healthz` (the process runs) and, when asked,
 * `GET /readyz`; anything else is 404, other methods 405. It serves no API: clients talk to gateways.
 */
export async function startOpsHttp(options: OpsHttpOptions): Promise<OpsHttp> {
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    const send = (status: number, type: string, body: string) => {
      response.writeHead(status, { 'content-type': type });
      response.end(body);
    };
    if (request.method !== 'GET') {
      response.setHeader('allow', 'GET');
      return send(405, 'application/json', errorBody('Only GET is served here.', 'method_not_allowed'));
    }
    if (path === '/healthz') return send(200, 'application/json', JSON.stringify({ status: 'ok' }));
    if (path === '/readyz' && options.ready) {
      return options.ready() ? send(200, 'application/json', JSON.stringify({ status: 'ready' })) : send(503, 'application/json', JSON.stringify({ status: 'starting' }));
    }
    if (path !== '/metrics') return send(404, 'application/json', errorBody(`Unknown request URL: GET ${path}.`, 'not_found'));
    const { registry } = options;
    registry.metrics().then(
      (text) => send(200, registry.contentType, text),
      (failure: unknown) => {
        options.logger.warn({ err: failure }, 'metrics collection failed');
        send(500, 'text/plain', 'metrics unavailable');
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address();
  const url = typeof address === 'object' && address ? `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}` : '';
  options.logger.info({ url }, options.listeningMessage);
  let closing: Promise<void> | undefined;
  return {
    url,
    close: () => {
      // Keep-alive scrapers would hold close() open; their idle sockets go too.
      closing ??= new Promise((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      return closing;
    },
  };
}
