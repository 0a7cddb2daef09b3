import { isBlueGreenConfigured, routableVersions, type BlueGreenState, type GatewayState } from '@ailb/shared';
import type { FastifyBaseLogger } from 'fastify';
import type { LaneReclaimer } from './lane-reclaimer.js';

/** One version in the rotation and its smooth-weighted-round-robin credit. */
interface Candidate {
  version: string;
  weight: number;
  current: number;
}

/** Options of {@link VersionLanes}. */
export interface VersionLanesOptions {
  state: Pick<GatewayState, 'liveInstances'>;
  logger: FastifyBaseLogger;
  /** How often live worker versions are re-read while blue/green is configured. @defaultValue 1000 */
  refreshMs?: number;
  /** Told of each read, to free the lanes of versions that have no live worker left. @defaultValue none */
  reclaimer?: Pick<LaneReclaimer, 'observe'>;
}

/**
 * Routes chat jobs to worker versions in proportion to the blue/green weights: each job goes to the
 * queue lane of one version (`chat@<version>`, taken only by workers of that version), chosen by
 * smooth weighted round-robin (nginx's) over the versions with a positive weight and live workers
 * that are not stopping. Weights are normalized over those versions. With no blue/green configured,
 * or no listed version with a positive weight and live workers, jobs use the plain queue every worker
 * takes — and nothing is read from Redis: live versions are re-read once a second only while a
 * blue/green table exists, never per job.
 */
export class VersionLanes {
  private blueGreen: BlueGreenState | undefined;
  private liveVersions: ReadonlySet<string> = new Set();
  private candidates: Candidate[] = [];
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly options: VersionLanesOptions) {}

  /** The lane of the next job: a worker version, or undefined for the plain queue. */
  readonly pick = (): string | undefined => {
    const candidates = this.candidates;
    if (candidates.length === 0) return undefined;
    if (candidates.length === 1) return candidates[0]!.version;
    let total = 0;
    let best: Candidate | undefined;
    for (const candidate of candidates) {
      candidate.current += candidate.weight;
      total += candidate.weight;
      if (!best || candidate.current > best.current) best = candidate;
    }
    best!.current -= total;
    return best!.version;
  };

  /** The versions jobs go to now and their weights (for status reports). */
  get rotation(): ReadonlyArray<{ version: string; weight: number }> {
    return this.candidates.map(({ version, weight }) => ({ version, weight }));
  }

  /** A new blue/green state: follow live worker versions while one is configured, stop otherwise. */
  update(state: BlueGreenState): void {
    this.blueGreen = state;
    if (!isBlueGreenConfigured(state) || this.closed) {
      clearInterval(this.timer);
      this.timer = undefined;
      this.liveVersions = new Set();
      this.rebuild();
      return;
    }
    this.rebuild();
    if (!this.timer) {
      this.timer = setInterval(() => void this.readLiveVersions(), this.options.refreshMs ?? 1000);
      this.timer.unref();
    }
    void this.readLiveVersions();
  }

  private async readLiveVersions(): Promise<void> {
    try {
      const workers = await this.options.state.liveInstances('worker');
      if (this.closed || !this.timer) return;
      this.liveVersions = new Set(workers.filter((worker) => worker.health !== 'stopping' && worker.version !== '').map((worker) => worker.version));
      this.rebuild();
      if (this.blueGreen) this.options.reclaimer?.observe(Object.keys(this.blueGreen.weights), new Set(workers.map((worker) => worker.version)));
    } catch (error) {
      // The last known versions stay in use; a worker version that left meanwhile strands at most the jobs of this outage.
      this.options.logger.warn({ err: error }, 'could not read live worker versions; keeping the last known ones');
    }
  }

  /** Recomputes the rotation, keeping the credit of versions that stay in it so the sequence stays smooth. */
  private rebuild(): void {
    const routable = this.blueGreen ? routableVersions(this.blueGreen, this.liveVersions) : [];
    const credit = new Map(this.candidates.map((candidate) => [candidate.version, candidate.current]));
    this.candidates = routable.map(({ version, weight }) => ({ version, weight, current: credit.get(version) ?? 0 }));
  }

  /** Stops following live versions. Idempotent. */
  close(): void {
    this.closed = true;
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
