import type { ScanPolicy } from '@ailb/shared';
import fp from 'fastify-plugin';
import { ScanStage } from '../chat/scan-stage.js';
import { ScanMetrics } from '../scanning/scan-metrics.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The prompt scanner stage of the chat pipeline, with the configured default policy. */
    scanning: ScanStage;
  }
  interface FastifyRequest {
    /**
     * This request's prompt-scanning policy when its API key sets one; null: the configured default
     * (`scanning.policy`, `AILB_SCAN_POLICY`). The auth layer sets it from the key's `scan_policy`
     * in its onRequest/preHandler hook, before the chat route runs.
     */
    scanPolicy: ScanPolicy | null;
  }
}

/** Prompt scanning: the stage (with its metric in the gateway's registry) and the per-request policy slot. */
export const scanningPlugin = fp<{ policy: ScanPolicy }>(
  async (app, { policy }) => {
    app.decorate('scanning', new ScanStage(policy, new ScanMetrics(app.metrics.registry)));
    app.decorateRequest('scanPolicy', null);
  },
  { name: 'ailb-scanning', dependencies: ['ailb-metrics'] },
);
