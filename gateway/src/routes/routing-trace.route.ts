import { GatewayError, type TraceStore } from '@ailb/shared';
import type { FastifyInstance } from 'fastify';

/** GET /api/routing/trace/:requestId: how one recent request was routed (kept for 15 minutes). */
export function registerRoutingTraceRoute(app: FastifyInstance, traces: TraceStore): void {
  app.get<{ Params: { requestId: string } }>('/api/routing/trace/:requestId', async (request) => {
    let trace;
    try {
      trace = await traces.load(request.params.requestId);
    } catch (error) {
      throw new GatewayError('queue_unavailable', 'Shared state is unavailable; try again shortly.', { cause: error, retryAfterMs: 1000 });
    }
    if (!trace) throw new GatewayError('not_found', `No trace for request '${request.params.requestId}' (traces are kept for 15 minutes).`, { param: 'requestId' });
    return trace;
  });
}
