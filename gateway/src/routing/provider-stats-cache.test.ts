import { DEFAULT_CIRCUIT } from '@ailb/shared';
import { describe, expect, it } from 'vitest';
import { InMemoryClusterState } from '../embedded/in-memory-cluster-state.js';
import { ProviderStatsCache, STATS_CACHE_MS } from './provider-stats-cache.js';

describe('ProviderStatsCache', () => {
  it('maps shared stats to candidate stats and reads at most once per window', async () => {
    const state = new InMemoryClusterState(DEFAULT_CIRCUIT);
    let reads = 0;
    const counting = Object.assign(Object.create(state) as InMemoryClusterState, {
      providerStats: (ids: string[]) => {
        reads++;
        return state.providerStats(ids);
      },
    });
    let now = 0;
    const cache = new ProviderStatsCache(counting, ['a', 'b'], () => now);
    await state.recordSuccess({ provider: 'a', model: 'm' }, 120);
    await state.recordFailure({ provider: 'b', model: 'm' });

    const [first] = await Promise.all([cache.get(), cache.get()]);
    expect(first('a')).toEqual({ avgLatencyMs: 120, samples: 1, inFlight: 0 });
    expect(first('b')).toEqual({ avgLatencyMs: null, samples: 0, inFlight: 0 });
    expect(first('unknown')).toEqual({ avgLatencyMs: null, samples: 0, inFlight: 0 });
    expect(reads).toBe(1);

    await state.recordSuccess({ provider: 'a', model: 'm' }, 220);
    now = STATS_CACHE_MS - 1;
    expect((await cache.get())('a').samples).toBe(1);
    now = STATS_CACHE_MS;
    expect((await cache.get())('a')).toEqual({ avgLatencyMs: 130, samples: 2, inFlight: 0 });
    expect(reads).toBe(2);
  });

  it('keeps the last view when shared state fails, and retries once per window', async () => {
    const state = new InMemoryClusterState(DEFAULT_CIRCUIT);
    await state.recordSuccess({ provider: 'a', model: 'm' }, 50);
    let failing = false;
    let reads = 0;
    const flaky = Object.assign(Object.create(state) as InMemoryClusterState, {
      providerStats: async (ids: string[]) => {
        reads++;
        if (failing) throw new Error('redis down');
        return state.providerStats(ids);
      },
    });
    let now = 0;
    const cache = new ProviderStatsCache(flaky, ['a'], () => now);
    expect((await cache.get())('a').avgLatencyMs).toBe(50);
    failing = true;
    now = STATS_CACHE_MS;
    expect((await cache.get())('a').avgLatencyMs).toBe(50);
    expect((await cache.get())('a').avgLatencyMs).toBe(50);
    expect(reads).toBe(2);
  });
});
