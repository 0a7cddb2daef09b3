import type { AppConfig, ControlDocumentStore } from '@ailb/shared';
import { createConfigSource, type ConfigSource } from '@ailb/shared/runtime';
import fp from 'fastify-plugin';
import { ConfigControl } from '../config-control/config-control.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The running configuration and the control plane's changes to it (routes, UpdateConfig, Reload). */
    configControl: ConfigControl;
  }
}

export interface ConfigControlPluginOptions {
  config: AppConfig;
  /** Route overrides and UpdateConfig documents shared by every gateway (split mode: Redis). */
  store: ControlDocumentStore;
  /** Re-reads the file and environment (Reload, SIGHUP); absent: Reload refuses, UpdateConfig resolves without environment. */
  source?: ConfigSource;
  /** The config file as written that `config` came from (GetConfig shows `${ENV}` values as written). */
  written?: unknown;
}

/**
 * The configuration stage: applies the deployment's route overrides and UpdateConfig sections before
 * the gateway serves (a store that cannot be read fails the start), then follows the `routes` and
 * `config` topics. Registered after the stages it changes (routing, tracing, rate limits).
 */
export const configControlPlugin = fp<ConfigControlPluginOptions>(
  async (app, { config, store, source, written }) => {
    const control = new ConfigControl({
      reading: { config, written: written ?? {}, ...(source?.path ? { path: source.path } : {}) },
      source,
      // Without a source (a gateway built in-process), documents resolve with no environment; as a gateway, they hold no keys.
      resolver: source ?? createConfigSource({}, 'gateway'),
      store,
      changes: app.controlChanges,
      logger: app.log,
      routeTable: app.routeTable,
      catalog: app.catalog,
      traces: app.traces,
      rateLimits: app.rateLimits,
    });
    app.addHook('onClose', async () => control.close());
    await control.start();
    app.decorate('configControl', control);
  },
  { name: 'ailb-config-control', dependencies: ['ailb-control-changes', 'ailb-routing', 'ailb-tracing', 'ailb-rate-limit'] },
);
