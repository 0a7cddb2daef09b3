import { GatewayError, type GatewayState } from '@ailb/shared';

/**
 * Caches the live-worker count briefly: it is asked on every request and changes slowly. A count of 0
 * is not kept: health checks and heartbeats ask too, and a cached 0 would refuse requests for up to
 * `cacheMs` after a worker started (only requests that would be refused pay the read).
 */
export class WorkerAvailability {
  private cached: { at: number; count: number } | undefined;

  constructor(
    private readonly state: GatewayState,
    private readonly cacheMs = 1000,
  ) {}

  async liveWorkers(): Promise<number> {
    const now = Date.now();
    if (this.cached && now - this.cached.at < this.cacheMs) return this.cached.count;
    let count: number;
    try {
      count = await this.state.liveCount('worker', now);
    } catch (error) {
      throw new GatewayError('queue_unavailable', 'Shared state is unavailable; try again shortly.', { cause: error, retryAfterMs: 1000 });
    }
    this.cached = count === 0 ? undefined : { at: now, count };
    return count;
  }
}
