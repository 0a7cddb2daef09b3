import type { ControlChanges } from '@ailb/shared';
import { InMemoryControlChanges } from '@ailb/shared/runtime';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * Change notifications of the control plane (topics `routes`, `rate-limits`, `deployment`,
     * `config`), shared by every plugin that caches control-plane state: a writer stores, then
     * publishes; every gateway re-reads the topic.
     */
    controlChanges: ControlChanges;
  }
}

export interface ControlChangesPluginOptions {
  /** The deployment's bus (Redis pub/sub in split mode, started by the caller, who also closes it). */
  changes?: ControlChanges;
}

/**
 * One change bus per gateway. Without one given (the embedded default, app.inject() tests) an
 * in-memory bus of this app's own is used, and closed with the app.
 */
export const controlChangesPlugin = fp<ControlChangesPluginOptions>(
  async (app, { changes }) => {
    const bus = changes ?? new InMemoryControlChanges();
    app.decorate('controlChanges', bus);
    if (!changes) app.addHook('onClose', () => bus.close());
  },
  { name: 'ailb-control-changes' },
);
