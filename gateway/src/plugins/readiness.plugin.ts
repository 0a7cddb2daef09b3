import type { JobProducer } from '@ailb/shared';
import fp from 'fastify-plugin';
import { Readiness } from '../health/readiness.js';

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * This gateway's readiness (read by /readyz and gRPC health). Plugins registered after this one
     * add their conditions with `app.readiness.addCondition(name, check)`.
     */
    readiness: Readiness;
  }
}

/**
 * The readiness conditions every gateway has, in the order /readyz reports them: not draining, the
 * queue reachable, at least one live worker. Registered after the dispatch plugin (worker liveness).
 */
export const readinessPlugin = fp<{ producer: JobProducer; pollMs?: number }>(
  async (app, { producer, pollMs }) => {
    const readiness = new Readiness(pollMs === undefined ? {} : { pollMs });
    app.decorate('readiness', readiness);
    readiness.addCondition('draining', () => (app.draining ? { ready: false, reason: 'shutting down' } : { ready: true }));
    readiness.addCondition('queue', async () => {
      try {
        await producer.checkReady();
        return { ready: true };
      } catch (error) {
        return { ready: false, reason: `queue unavailable: ${(error as Error).message}` };
      }
    });
    readiness.addCondition('workers', async () => {
      let workers: number;
      try {
        workers = await app.dispatcher.workers.liveWorkers();
      } catch (error) {
        return { ready: false, reason: `cannot read worker heartbeats: ${(error as Error).message}` };
      }
      return workers === 0 ? { ready: false, reason: 'no live worker' } : { ready: true, facts: { workers } };
    });
    // Draining starts in preClose (request-context plugin, registered earlier, runs its hook first).
    app.addHook('preClose', async () => readiness.changed());
    app.addHook('onClose', async () => readiness.close());
  },
  { name: 'ailb-readiness', dependencies: ['ailb-request-context', 'ailb-dispatch'] },
);
