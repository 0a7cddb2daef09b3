import { redisNames, TRACE_TTL_MS, type RedisNames, type RequestTrace, type TraceStore } from '../../index.js';
import type { Redis } from 'ioredis';

/** Traces in Redis, so any gateway instance can answer for a request another one served. */
export class RedisTraceStore implements TraceStore {
  private readonly names: RedisNames;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.names = redisNames(prefix);
  }

  async save(trace: RequestTrace): Promise<void> {
    await this.redis.set(this.names.trace(trace.request_id), JSON.stringify(trace), 'PX', TRACE_TTL_MS);
  }

  async load(requestId: string): Promise<RequestTrace | null> {
    const json = await this.redis.get(this.names.trace(requestId));
    return json === null ? null : (JSON.parse(json) as RequestTrace);
  }
}
