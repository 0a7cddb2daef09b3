import { metricNames } from '@ailb/shared';
import type { Counter, Histogram, Registry } from 'prom-client';

/** Routes that are not traffic (probes and scrapes): left out of the request counts. */
export const OPERATIONAL_ROUTES: ReadonlySet<string> = new Set(['/healthz', '/readyz', '/metrics']);

/** A latency histogram merged over its labels: cumulative bucket counts by upper bound, in seconds. */
export interface LatencyHistogram {
  buckets: { le: number; count: number }[];
  sum: number;
  count: number;
}

/** Cumulative traffic numbers of one gateway since it started, as its Prometheus metrics hold them. */
export interface TrafficSnapshot {
  /** Answered HTTP requests, operational routes excluded: status < 400 successful, the rest failed. */
  requests: { successful: number; failed: number };
  /** HTTP requests received and not answered in full yet (probes included). */
  inFlight: number;
  connections: { open: number; accepted: number };
  bytes: { received: number; sent: number };
  /** Chat requests, arrival to the start of the answer. */
  latency: LatencyHistogram;
  /** Tokens providers reported: prompt (input) and completion (output). */
  tokens: { input: number; output: number };
}

interface SnapshotSources {
  httpRequests: Counter<string>;
  chatResponse: Histogram<string>;
  tokens: Counter<string>;
  registry: Registry;
}

/** Reads the metrics (running their collect functions, as a scrape does) into one snapshot. */
export async function readTrafficSnapshot(sources: SnapshotSources): Promise<TrafficSnapshot> {
  const requests = { successful: 0, failed: 0 };
  for (const { labels, value } of (await sources.httpRequests.get()).values) {
    if (OPERATIONAL_ROUTES.has(String(labels.route))) continue;
    if (Number(labels.status) < 400) requests.successful += value;
    else requests.failed += value;
  }
  const tokens = { input: 0, output: 0 };
  for (const { labels, value } of (await sources.tokens.get()).values) {
    if (labels.kind === 'prompt') tokens.input += value;
    else if (labels.kind === 'completion') tokens.output += value;
  }
  const single = async (name: string): Promise<number> => {
    const metric = sources.registry.getSingleMetric(name);
    if (!metric) return 0;
    return (await metric.get()).values.reduce((total, { value }) => total + value, 0);
  };
  const { httpConnections, httpConnectionsTotal, httpReceivedBytes, httpSentBytes } = metricNames;
  const [inFlight, open, accepted, received, sent] = await Promise.all([
    single(metricNames.httpRequestsInFlight.name),
    single(httpConnections.name),
    single(httpConnectionsTotal.name),
    single(httpReceivedBytes.name),
    single(httpSentBytes.name),
  ]);
  return { requests, inFlight, connections: { open, accepted }, bytes: { received, sent }, latency: await mergedHistogram(sources.chatResponse), tokens };
}

async function mergedHistogram(histogram: Histogram<string>): Promise<LatencyHistogram> {
  const byBound = new Map<number, number>();
  let sum = 0;
  let count = 0;
  for (const { metricName, labels, value } of (await histogram.get()).values) {
    if (metricName?.endsWith('_bucket')) {
      const le = labels.le === '+Inf' ? Number.POSITIVE_INFINITY : Number(labels.le);
      byBound.set(le, (byBound.get(le) ?? 0) + value);
    } else if (metricName?.endsWith('_sum')) sum += value;
    else if (metricName?.endsWith('_count')) count += value;
  }
  const buckets = [...byBound].map(([le, bucketCount]) => ({ le, count: bucketCount })).sort((a, b) => a.le - b.le);
  return { buckets, sum, count };
}
