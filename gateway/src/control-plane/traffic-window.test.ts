import { describe, expect, it } from 'vitest';
import type { TrafficSnapshot } from '../observability/traffic-snapshot.js';
import { histogramQuantile, TrafficWindow } from './traffic-window.js';

const histogram = (counts: [number, number][], sum = 0) => ({ buckets: counts.map(([le, count]) => ({ le, count })), sum, count: counts.at(-1)![1] });

function snapshot(requests: number, latency = histogram([[Number.POSITIVE_INFINITY, 0]])): TrafficSnapshot {
  return { requests: { successful: requests, failed: 0 }, inFlight: 0, connections: { open: 1, accepted: requests }, bytes: { received: requests * 100, sent: requests * 200 }, latency, tokens: { input: requests, output: 2 * requests } };
}

describe('histogramQuantile', () => {
  it('interpolates inside the bucket holding the rank, as histogram_quantile does', () => {
    // 10 samples: 4 under 0.1 s, 6 between 0.1 and 0.5 s.
    const latency = histogram([[0.1, 4], [0.5, 10], [Number.POSITIVE_INFINITY, 10]]);
    expect(histogramQuantile(latency, 0.2)).toBeCloseTo(0.05);
    expect(histogramQuantile(latency, 0.5)).toBeCloseTo(0.1 + 0.4 * (1 / 6));
    expect(histogramQuantile(latency, 1)).toBeCloseTo(0.5);
  });

  it('is 0 without samples and the highest finite bound for a rank in +Inf', () => {
    expect(histogramQuantile(histogram([[0.1, 0], [Number.POSITIVE_INFINITY, 0]]), 0.99)).toBe(0);
    expect(histogramQuantile(histogram([[0.1, 1], [Number.POSITIVE_INFINITY, 4]]), 0.99)).toBe(0.1);
  });
});

describe('TrafficWindow', () => {
  it('reports cumulative numbers until a reset, then deltas since it', () => {
    const window = new TrafficWindow(new Date(0));
    expect(window.delta(snapshot(5))).toEqual(snapshot(5));
    window.reset(snapshot(5, histogram([[0.1, 2], [Number.POSITIVE_INFINITY, 3]], 0.4)), new Date(1000));
    const delta = window.delta(snapshot(8, histogram([[0.1, 3], [Number.POSITIVE_INFINITY, 7]], 1.0)));
    expect(delta.requests).toEqual({ successful: 3, failed: 0 });
    expect(delta.bytes).toEqual({ received: 300, sent: 600 });
    expect(delta.connections).toEqual({ open: 1, accepted: 3 });
    expect(delta.latency).toEqual({ buckets: [{ le: 0.1, count: 1 }, { le: Number.POSITIVE_INFINITY, count: 4 }], sum: expect.closeTo(0.6), count: 4 });
    expect(window.windowStart).toEqual(new Date(1000));
  });

  it('rates requests per minute over the last minute of samples', () => {
    const window = new TrafficWindow(new Date(0));
    expect(window.requestsPerMinute(snapshot(30), 30_000)).toBe(60);
    expect(window.requestsPerMinute(snapshot(60), 60_000)).toBe(60);
    // From the sample a minute old (30 requests at 30 s): 90 more in 60 s.
    expect(window.requestsPerMinute(snapshot(120), 90_000)).toBe(90);
  });
});
