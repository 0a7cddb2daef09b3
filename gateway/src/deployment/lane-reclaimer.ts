import type { JobProducer } from '@ailb/shared';
import type { FastifyBaseLogger } from 'fastify';

/** Options of {@link LaneReclaimer}. */
export interface LaneReclaimerOptions {
  producer: Pick<JobProducer, 'reclaimLane'>;
  logger: FastifyBaseLogger;
  /**
   * How long after a version left the live set its lane is still swept: gateways that had not seen it
   * leave yet may still send it jobs (each re-reads live versions every second). @defaultValue 10000
   */
  windowMs?: number;
}

/**
 * Frees jobs stranded in the chat lane of a worker version that has no live worker any more (its
 * workers crashed, or one was stopped while a gateway still sent to it): their jobs are moved back to
 * the plain `chat` queue, which workers of every version take, so they are served before their
 * deadline. Every gateway watches (one call per live-version read it makes anyway, once a second while
 * blue/green is configured); the transport lets one move a lane at a time, and moves each job once.
 *
 * A version's lane is swept on each read from when the version is seen without live workers until
 * `windowMs` later (and on, while sweeps fail); a gateway that starts sweeps the lanes of listed versions
 * without workers during its first `windowMs`, so a job stranded while no gateway watched is freed too.
 */
export class LaneReclaimer {
  /** Version → when this gateway first saw it without a live worker. */
  private readonly goneSince = new Map<string, number>();
  /** Versions whose last sweep failed: swept again, window or not. */
  private readonly failed = new Set<string>();
  private readonly sweeping = new Set<string>();
  private closed = false;

  constructor(private readonly options: LaneReclaimerOptions) {}

  /**
   * A read of the registry: `listed` are the versions whose lanes may hold jobs (those of the blue/green
   * table), `present` the versions with at least one live worker (stopping ones included: they still
   * take their lane's jobs).
   */
  observe(listed: Iterable<string>, present: ReadonlySet<string>, now = Date.now()): void {
    if (this.closed) return;
    for (const version of listed) {
      if (present.has(version)) {
        this.goneSince.delete(version);
        this.failed.delete(version);
        continue;
      }
      const since = this.goneSince.get(version) ?? now;
      this.goneSince.set(version, since);
      if (now - since <= (this.options.windowMs ?? 10_000) || this.failed.has(version)) void this.sweep(version);
    }
  }

  /** Resolves when the sweeps under way are done (tests, closing). */
  async idle(): Promise<void> {
    while (this.sweeping.size > 0) await new Promise((resolve) => setTimeout(resolve, 10));
  }

  private async sweep(version: string): Promise<void> {
    if (this.sweeping.has(version)) return;
    this.sweeping.add(version);
    try {
      const moved = await this.options.producer.reclaimLane('chat', version);
      this.failed.delete(version);
      if (moved > 0) this.options.logger.warn({ version, moved }, 'worker version has no live worker: moved the jobs waiting in its lane to the plain queue');
    } catch (error) {
      this.failed.add(version);
      this.options.logger.warn({ err: error, version }, 'could not move the jobs waiting in the lane of a version without workers; trying again');
    } finally {
      this.sweeping.delete(version);
    }
  }

  /** Stops sweeping. Idempotent. */
  close(): void {
    this.closed = true;
  }
}
