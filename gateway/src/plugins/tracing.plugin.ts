import { GatewayError, type TraceStore } from '@ailb/shared';
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

/** The trace stage: the recorder chat requests report to, and `GET /api/routing/trace/:requestId`. */
export const tracingPlugin = fp<TracingPluginOptions>(
  async (app, { traces, successSampleRate }) => {
    app.decorate('traces', new TraceRecorder(traces, successSampleRate));
    app.get<{ Params: { requestId: string } }>('/api/routing/trace/:requestId', async (request) => {
      let trace;
      try {
        trace = await traces.load(request.params.requestId);
      } catch (error) {
        throw new GatewayError('queue_unavailable', 'Shared state is unavailable; try again shortly.', { cause: error, retryAfterMs: 1000 });
      }
      if (!trace) throw new GatewayError('not_found', `No trace for request '${request.params.requestId}' (traces are kept for 15 minutes; plain successes only when sampled or asked for with x-ailb-trace).`, { param: 'requestId' });
      return trace;
    });
  },
  { name: 'ailb-tracing' },
);
