import type { JobProducer } from '@ailb/shared';
import type { FastifyInstance } from 'fastify';
import type { WorkerAvailability } from '../chat/worker-availability.js';

export interface HealthDependencies {
  producer: JobProducer;
  workers: WorkerAvailability;
  isShuttingDown: () => boolean;
}

/** /healthz: the process is alive. /readyz: it can serve (queue reachable, a live worker, not draining). */
export function registerHealthRoutes(app: FastifyInstance, dependencies: HealthDependencies): void {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    const notReady = (reason: string) => reply.status(503).send({ status: 'not_ready', reason });
    if (dependencies.isShuttingDown()) return notReady('shutting down');
    try {
      await dependencies.producer.checkReady();
    } catch (error) {
      return notReady(`queue unavailable: ${(error as Error).message}`);
    }
    let workers: number;
    try {
      workers = await dependencies.workers.liveWorkers();
    } catch (error) {
      return notReady(`cannot read worker heartbeats: ${(error as Error).message}`);
    }
    if (workers === 0) return notReady('no live worker');
    return { status: 'ready', workers };
  });
}
