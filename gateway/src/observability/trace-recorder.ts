import type { FastifyBaseLogger } from 'fastify';
import type { RequestTrace, TraceStore } from '@ailb/shared';

/** Stores the traces of chat requests, off the response path: a trace that cannot be stored fails nothing. */
export class TraceRecorder {
  constructor(private readonly store: TraceStore) {}

  record(trace: RequestTrace, log: FastifyBaseLogger): void {
    this.store.save(trace).catch((error: unknown) => log.warn({ err: error }, 'saving the routing trace failed'));
  }
}
