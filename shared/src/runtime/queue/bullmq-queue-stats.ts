import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { laneQueueName, queueContracts, redisNames, type QueueName, type QueueStats } from '../../index.js';

/** Options of {@link BullmqQueueStats}. */
export interface BullmqQueueStatsOptions {
  redisUrl: string;
  prefix: string;
  /** A command connection (not a subscriber), used to read the set of a queue's lanes. */
  redis: Redis;
  logger: Logger;
}

/**
 * Depth and lag of a BullMQ queue, for any process that can reach its Redis (workers, and split-mode
 * gateways, which take no jobs but report the queue over gRPC): waiting (wait list + prioritized set)
 * and active counts, and the age of the oldest waiting job, summed over the queue and every lane a
 * consumer registered (`chat@<version>`, see `redisNames.queueLanes`). A lane whose workers left
 * still counts its waiting jobs. A few reads per queue and lane; never on a request path.
 */
export class BullmqQueueStats {
  /** Read-only queue handles by transport name (a queue, or a lane of it: `chat@v2`), opened on first use. */
  private readonly handles = new Map<string, Queue>();
  private closing: Promise<void> | undefined;

  constructor(private readonly options: BullmqQueueStatsOptions) {}

  async stats(queue: QueueName): Promise<QueueStats> {
    const name = queueContracts[queue].name;
    const lanes = await this.options.redis.smembers(redisNames(this.options.prefix).queueLanes(name));
    const parts = await Promise.all([undefined, ...lanes].map((lane) => this.transportStats(laneQueueName(name, lane))));
    return {
      waiting: parts.reduce((sum, part) => sum + part.waiting, 0),
      active: parts.reduce((sum, part) => sum + part.active, 0),
      lagMs: parts.reduce((longest, part) => Math.max(longest, part.lagMs), 0),
    };
  }

  /** One BullMQ queue's counts. */
  private async transportStats(transportName: string): Promise<QueueStats> {
    if (this.closing) throw new Error('queue statistics are closed');
    let handle = this.handles.get(transportName);
    if (!handle) {
      handle = new Queue(transportName, { connection: { url: this.options.redisUrl, enableOfflineQueue: false }, prefix: this.options.prefix });
      handle.on('error', (error) => this.options.logger.warn({ err: error, queue: transportName }, 'queue statistics connection error'));
      this.handles.set(transportName, handle);
    }
    const counts = await handle.getJobCounts('waiting', 'prioritized', 'active');
    const [oldest] = await handle.getJobs(['waiting', 'prioritized'], 0, 0, true);
    return { waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0), active: counts.active ?? 0, lagMs: oldest ? Math.max(0, Date.now() - oldest.timestamp) : 0 };
  }

  /** Closes the queue handles (not `redis`, which the caller owns). Idempotent. */
  close(): Promise<void> {
    this.closing ??= Promise.allSettled([...this.handles.values()].map((handle) => handle.close().catch(() => handle.disconnect()))).then(() => undefined);
    return this.closing;
  }
}
