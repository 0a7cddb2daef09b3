import type { ClusterStateReader } from '@ailb/shared';
import type { CandidateStats } from './strategies/index.js';

/** How long one read of the shared stats is reused; stats move slowly and plans are per request. */
export const STATS_CACHE_MS = 1000;

const UNMEASURED: CandidateStats = { avgLatencyMs: null, samples: 0, inFlight: 0 };

/**
 * The gateway's cached view of per-provider stats, read at most once per {@link STATS_CACHE_MS}
 * with concurrent callers sharing one read. Stats only order targets, so a failed read keeps the
 * previous view (or none) instead of failing the request.
 */
export class ProviderStatsCache {
  private view = new Map<string, CandidateStats>();
  private readAt = Number.NEGATIVE_INFINITY;
  private reading: Promise<void> | undefined;

  constructor(
    private readonly state: ClusterStateReader,
    private readonly providerIds: readonly string[],
    private readonly now: () => number = Date.now,
  ) {}

  /** Stats per provider id; a provider never measured gets null latency and 0 samples. */
  async get(): Promise<(provider: string) => CandidateStats> {
    if (this.providerIds.length > 0 && this.now() - this.readAt >= STATS_CACHE_MS) {
      this.reading ??= this.read().finally(() => {
        this.reading = undefined;
      });
      await this.reading;
    }
    const view = this.view;
    return (provider) => view.get(provider) ?? UNMEASURED;
  }

  private async read(): Promise<void> {
    // Set first: while shared state is down, retry once per window rather than on every request.
    this.readAt = this.now();
    try {
      const snapshots = await this.state.providerStats([...this.providerIds]);
      this.view = new Map(
        snapshots.map((snapshot) => [
          snapshot.provider,
          {
            // The EWMA is built from successful calls only, so those are its samples.
            avgLatencyMs: snapshot.successful_requests > 0 ? snapshot.avg_latency_ms : null,
            samples: snapshot.successful_requests,
            // Workers do not count in-flight requests in shared state yet.
            inFlight: 0,
          },
        ]),
      );
    } catch {
      // Keep the previous view: see the class comment.
    }
  }
}
