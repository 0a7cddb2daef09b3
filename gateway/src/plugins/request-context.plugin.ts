import { DEFAULT_TENANT, GatewayError } from '@ailb/shared';
import fp from 'fastify-plugin';
import type { Logger } from 'pino';
import { RequestLog } from '../observability/request-log.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** performance.now() when the request arrived; the base of x-ailb-overhead-ms. */
    receivedAt: number;
    /** Whose memory, files and vector stores the request may see. */
    tenant: string;
    /** True once the chat route took the request: its log line is written with its cost (RequestLog.chat), not when it closes. */
    chatLogged: boolean;
  }
  interface FastifyInstance {
    /** The one log line per request (see RequestLog). */
    readonly requestLog: RequestLog;
    /** True once the gateway has begun shutting down: new requests get 503 `shutting_down`. */
    readonly draining: boolean;
    /** HTTP requests received and not answered in full yet (probes included), for metrics. */
    readonly requestsInFlight: number;
  }
}

/**
 * Request id and timing for every request, its log line when it is over (see RequestLog), the count
 * of requests in flight, and the drain gate: from `preClose` on, new requests are refused with 503
 * while in-flight ones finish. Cross-cutting, so it is not encapsulated.
 */
export const requestContextPlugin = fp(
  async (app) => {
    let draining = false;
    app.decorate('draining', {
      getter: () => draining,
    });
    // Counted here, in the hook every request runs anyway, instead of in a hook of its own; the metrics
    // read it when scraped. 'close' fires once per response, whether it finished or the client left.
    let inFlight = 0;
    // app.log is the pino logger buildApp was given (Fastify's type only leaves out isLevelEnabled).
    const requestLog = new RequestLog(app.log as unknown as Logger);
    app.decorate('requestLog', requestLog);
    app.decorate('requestsInFlight', {
      getter: () => inFlight,
    });
    app.decorateRequest('receivedAt', 0);
    app.decorateRequest('tenant', DEFAULT_TENANT);
    app.decorateRequest('chatLogged', false);
    app.addHook('onRequest', async (request, reply) => {
      inFlight += 1;
      reply.raw.on('close', () => {
        inFlight -= 1;
        requestLog.closed(request, reply);
      });
      request.receivedAt = (request.raw as { ailbReceivedAt?: number }).ailbReceivedAt ?? performance.now();
      // A caller without an API key is the default tenant; the auth plugin binds a key's tenant right after.
      request.tenant = DEFAULT_TENANT;
      reply.header('x-request-id', request.id);
      if (draining) throw new GatewayError('shutting_down', 'This gateway instance is shutting down; retry on another instance.', { retryAfterMs: 1000 });
    });
    let idleSweeper: NodeJS.Timeout | undefined;
    app.addHook('preClose', async () => {
      draining = true;
      // server.close() closes only the connections idle at that instant; a keep-alive connection whose
      // stream finishes later would hold shutdown for the keep-alive timeout. Sweep until closed.
      idleSweeper = setInterval(() => app.server.closeIdleConnections(), 100);
      idleSweeper.unref();
    });
    app.addHook('onClose', async () => {
      draining = true;
      clearInterval(idleSweeper);
    });
  },
  { name: 'ailb-request-context' },
);
