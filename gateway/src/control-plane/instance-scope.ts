import { SERVICE_KINDS } from '@ailb/shared';
import type { FastifyInstance } from 'fastify';
import { fromStore, notFound } from './rpc.js';

/**
 * The `instance_id` check of an RPC that acts cluster-wide (routes, rate limits, blue/green,
 * instances, scale, config): what it does is the same whichever gateway receives it, so the id
 * selects nothing. Empty or this gateway's id is accepted without a look-up; any other id must be a
 * live instance of the deployment (gateway, worker or embedder), else NOT_FOUND — a caller naming an
 * instance that is gone learns so instead of believing it addressed it. A registry that cannot be
 * read makes the call UNAVAILABLE.
 */
export async function checkClusterWideInstance(app: FastifyInstance, instanceId: string): Promise<void> {
  if (instanceId === '' || instanceId === app.instanceId) return;
  const registry = app.deployment.registry;
  for (const kind of SERVICE_KINDS) {
    if ((await fromStore('the instance registry (Redis in split mode)', () => registry.liveInstances(kind), app.log)).some((instance) => instance.id === instanceId)) return;
  }
  throw notFound(`No live AILB instance with instance_id "${instanceId}" (empty means this instance).`);
}
