import { createServer, type Server } from 'node:http';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';

export interface EmbedderHttp {
  url: string;
  close(): Promise<void>;
}

/**
 * The split-mode embedder's small HTTP face for operators: `GET /metrics` (Prometheus), `GET /healthz`
 * (the process runs) and `GET /readyz` (it took its queues). It serves no API: clients talk to gateways.
 */
export async function startEmbedderHttp(options: { host: string; port: number; registry: Registry; ready: () => boolean; logger: Logger }): Promise<EmbedderHttp> {
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    const send = (status: number, type: string, body: string) => {
      response.writeHead(status, { 'content-type': type });
      response.end(body);
    };
    if (request.method !== 'GET') return send(405, 'application/json', JSON.stringify({ error: { message: 'Only GET is served here.', type: 'invalid_request_error', param: null, code: 'method_not_allowed' } }));
    if (path === '/healthz') return send(200, 'application/json', JSON.stringify({ status: 'ok' }));
    if (path === '/readyz') return options.ready() ? send(200, 'application/json', JSON.stringify({ status: 'ready' })) : send(503, 'application/json', JSON.stringify({ status: 'starting' }));
    if (path === '/metrics') {
      options.registry.metrics().then(
        (text) => send(200, options.registry.contentType, text),
        (error: unknown) => {
          options.logger.warn({ err: error }, 'metrics collection failed');
          send(500, 'text/plain', 'metrics unavailable');
        },
      );
      return;
    }
    send(404, 'application/json', JSON.stringify({ error: { message: `Unknown request URL: GET ${path}.`, type: 'invalid_request_error', param: null, code: 'not_found' } }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address();
  const url = typeof address === 'object' && address ? `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}` : '';
  options.logger.info({ url }, 'embedder metrics and health listening');
  let closing: Promise<void> | undefined;
  return {
    url,
    close: () => {
      // Idle keep-alive scrapers would otherwise hold close() open.
      closing ??= new Promise((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      return closing;
    },
  };
}
