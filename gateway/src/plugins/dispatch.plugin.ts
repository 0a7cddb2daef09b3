import type { GatewayState, JobProducer } from '@ailb/shared';
import fp from 'fastify-plugin';
import { Dispatcher } from '../chat/dispatcher.js';
import { WorkerAvailability } from '../chat/worker-availability.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Sends jobs to workers and reads their replies in order. */
    dispatcher: Dispatcher;
  }
}

export interface DispatchPluginOptions {
  producer: JobProducer;
  state: GatewayState;
  requestTimeoutMs: number;
}

/** The dispatch and relay stage: the job producer, the live-worker check, reply streams. */
export const dispatchPlugin = fp<DispatchPluginOptions>(
  async (app, { producer, state, requestTimeoutMs }) => {
    app.decorate('dispatcher', new Dispatcher(producer, new WorkerAvailability(state), requestTimeoutMs));
  },
  { name: 'ailb-dispatch' },
);
