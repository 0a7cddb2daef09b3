import { createServer, type Server } from 'node:http';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';

export interface MetricsHttp {
  url: string;
  /** Stops listening; idempotent. */
  close(): Promise<void>;
}

/**
 * The split worker's small HTTP face for Prometheus (METRICS_HOST:METRICS_PORT): `GET /metrics` in the
 * text exposition format and `GET /healthz`; anything else is 404 (405 for other methods). It serves
 * no API: clients talk to gateways.
 */
export async function startMetricsHttp(options: { host: string; port: number; registry: () => Registry; logger: Logger }): Promise<MetricsHttp> {
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    const send = (status: number, type: string, body: string) => {
      response.writeHead(status, { 'content-type': type });
      response.end(body);
    };
    const error = (status: number, message: string, code: string) => send(status, 'application/json', JSON.stringify({ error: { message, type: 'invalid_request_error', param: null, code } }));
    if (request.method !== 'GET') return error(405, 'Only GET is served here.', 'method_not_allowed');
    if (path === '/healthz') return send(200, 'application/json', JSON.stringify({ status: 'ok' }));
    if (path !== '/metrics') return error(404, `Unknown request URL: GET ${path}.`, 'not_found');
    const registry = options.registry();
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
  options.logger.info({ url }, 'worker metrics listening');
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
