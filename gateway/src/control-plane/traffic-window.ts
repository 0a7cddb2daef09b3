import type { LatencyHistogram, TrafficSnapshot } from '../observability/traffic-snapshot.js';

/**
 * The counting window of GetStats: cumulative numbers minus a baseline taken at the last
 * `reset_counters` (the gateway's start before any). Prometheus counters are never reset — they stay
 * monotonic for scrapers — so a reset only moves this baseline. Also keeps the few samples the
 * requests-per-minute rate needs.
 */
export class TrafficWindow {
  private baseline: TrafficSnapshot | undefined;
  private since: Date;
  private readonly samples: { at: number; requests: number }[];

  constructor(startedAt = new Date()) {
    this.since = startedAt;
    this.samples = [{ at: startedAt.getTime(), requests: 0 }];
  }

  /** Start of the current window. */
  get windowStart(): Date {
    return this.since;
  }

  /** The snapshot's counts since the window started (gauges — in flight, open connections — as they are). */
  delta(current: TrafficSnapshot): TrafficSnapshot {
    const base = this.baseline;
    if (!base) return current;
    return {
      requests: { successful: current.requests.successful - base.requests.successful, failed: current.requests.failed - base.requests.failed },
      inFlight: current.inFlight,
      connections: { open: current.connections.open, accepted: current.connections.accepted - base.connections.accepted },
      bytes: { received: current.bytes.received - base.bytes.received, sent: current.bytes.sent - base.bytes.sent },
      latency: histogramDelta(current.latency, base.latency),
      tokens: { input: current.tokens.input - base.tokens.input, output: current.tokens.output - base.tokens.output },
    };
  }

  /** Starts a new window at `current`. */
  reset(current: TrafficSnapshot, at = new Date()): void {
    this.baseline = current;
    this.since = at;
  }

  /**
   * Requests answered per minute over about the last minute: from the newest sample at least a
   * minute old (samples are taken at each reading, so a caller polling at least once a minute gets
   * a one-minute rate; a rarer caller gets the rate since its previous reading).
   */
  requestsPerMinute(current: TrafficSnapshot, now = Date.now()): number {
    const requests = current.requests.successful + current.requests.failed;
    const minuteAgo = now - 60_000;
    let base = this.samples[0]!;
    for (const sample of this.samples) if (sample.at <= minuteAgo) base = sample;
    // Keep the base and everything newer; older samples can no longer be a base.
    while (this.samples.length > 1 && this.samples[1]!.at <= minuteAgo) this.samples.shift();
    // One sample a second is plenty for a one-minute rate, however many callers poll.
    if (now - this.samples[this.samples.length - 1]!.at >= 1000) this.samples.push({ at: now, requests });
    const elapsedMs = now - base.at;
    return elapsedMs <= 0 ? 0 : ((requests - base.requests) * 60_000) / elapsedMs;
  }
}

function histogramDelta(current: LatencyHistogram, base: LatencyHistogram): LatencyHistogram {
  const before = new Map(base.buckets.map((bucket) => [bucket.le, bucket.count]));
  return {
    buckets: current.buckets.map((bucket) => ({ le: bucket.le, count: bucket.count - (before.get(bucket.le) ?? 0) })),
    sum: current.sum - base.sum,
    count: current.count - base.count,
  };
}

/**
 * The `q` quantile (0..1) of a cumulative histogram, in the histogram's unit, interpolated linearly
 * inside the bucket as Prometheus' histogram_quantile does. 0 without samples; a quantile in the +Inf
 * bucket is given as the highest finite bound (the histogram knows no more).
 */
export function histogramQuantile(histogram: LatencyHistogram, q: number): number {
  if (histogram.count <= 0) return 0;
  const rank = q * histogram.count;
  let previousBound = 0;
  let previousCount = 0;
  for (const { le, count } of histogram.buckets) {
    if (count >= rank) {
      if (le === Number.POSITIVE_INFINITY) return previousBound;
      const inBucket = count - previousCount;
      return inBucket <= 0 ? le : previousBound + ((le - previousBound) * (rank - previousCount)) / inBucket;
    }
    previousBound = le;
    previousCount = count;
  }
  return previousBound;
}
