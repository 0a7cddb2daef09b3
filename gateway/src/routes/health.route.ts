import type { FastifyInstance } from 'fastify';

/**
 * /healthz: the process is alive. /readyz: it can serve — `app.readiness` (not draining, queue
 * reachable, a live worker, and whatever other plugins add), the same verdict gRPC health reports.
 */
export function registerHealthRoutes(app: FastifyInstance): void {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    const result = await app.readiness.check();
    if (!result.ready) return reply.status(503).send({ status: 'not_ready', reason: result.reason });
    return { status: 'ready', ...result.facts };
  });
}
