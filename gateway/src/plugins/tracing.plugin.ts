import { DEFAULT_TENANT, GatewayError, type TraceStore } from '@ailb/shared';
import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { TraceRecorder } from '../observability/trace-recorder.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Keeps the routing decision of chat requests for `GET /api/routing/trace/:requestId`. */
    traces: TraceRecorder;
  }
}

export interface TracingPluginOptions {
  traces: TraceStore;
  /** `tracing.success_sample_rate`. */
  successSampleRate: number;
}

/**
 * The trace stage: the recorder chat requests report to, and `GET /api/routing/trace/:requestId`.
 * A trace is its tenant's: once API keys exist the route needs one (it sits under `/api`, which the
 * auth plugin leaves to AILB_PROTECT_OPS), a key reads its own tenant's traces only — another
 * tenant's is 404 as if absent — and the master key reads every trace, as does anyone on a gateway
 * without keys.
 */
export const tracingPlugin = fp<TracingPluginOptions>(
  async (app, { traces, successSampleRate }) => {
    app.decorate('traces', new TraceRecorder(traces, successSampleRate));
    /** The tenant whose traces the caller may read; null: every tenant's. */
    const readableTenant = (request: FastifyRequest): string | null => {
      const identity = app.apiKeys.identify(request.headers, 'Routing traces belong to a tenant: present an API key (Authorization: Bearer <key>) or the master key.');
      if (identity.caller === 'refused') throw identity.error;
      return identity.caller === 'key' ? identity.record.tenant : null;
    };
    app.get<{ Params: { requestId: string } }>('/api/routing/trace/:requestId', async (request) => {
      const tenant = readableTenant(request);
      let trace;
      try {
        trace = await traces.load(request.params.requestId);
      } catch (error) {
        throw new GatewayError('queue_unavailable', 'Shared state is unavailable; try again shortly.', { cause: error, retryAfterMs: 1000 });
      }
      // Traces saved before they named a tenant are the default tenant's.
      if (!trace || (tenant !== null && (trace.tenant ?? DEFAULT_TENANT) !== tenant)) throw new GatewayError('not_found', `No trace for request '${request.params.requestId}' (traces are kept for 15 minutes; plain successes only when sampled or asked for with x-ailb-trace).`, { param: 'requestId' });
      return trace;
    });
  },
  { name: 'ailb-tracing', dependencies: ['ailb-auth'] },
);
