import { DEFAULT_TIMEOUTS, type PlannedTarget } from '@ailb/shared';
import { describe, expect, it } from 'vitest';
import { InMemoryClusterState } from '../embedded/in-memory-cluster-state.js';
import { CIRCUIT_CACHE_MS, HealthFilter } from './health-filter.js';

const policy = { failureThreshold: 2, cooldownMs: 1000 };
const planned = (provider: string): PlannedTarget => ({ provider, model: 'm', timeouts: DEFAULT_TIMEOUTS });

async function trip(state: InMemoryClusterState, provider: string, at: number): Promise<void> {
  await state.recordFailure({ provider, model: 'm' }, at);
  await state.recordFailure({ provider, model: 'm' }, at);
}

describe('HealthFilter', () => {
  it('leaves out targets whose circuit is open, keeping the order of the rest', async () => {
    const state = new InMemoryClusterState(policy);
    const now = 10_000;
    const filter = new HealthFilter(state, policy, () => now);
    await trip(state, 'b', now);
    const verdict = await filter.apply([planned('a'), planned('b'), planned('c')]);
    expect(verdict.targets.map((target) => target.provider)).toEqual(['a', 'c']);
    expect(verdict.excluded).toEqual([{ provider: 'b', model: 'm', reason: 'circuit_open' }]);
  });

  it('admits exactly one probe after the cooldown, first in the plan', async () => {
    const state = new InMemoryClusterState(policy);
    let now = 10_000;
    await trip(state, 'b', now);
    now += policy.cooldownMs + CIRCUIT_CACHE_MS;
    const first = new HealthFilter(state, policy, () => now);
    const second = new HealthFilter(state, policy, () => now);
    expect((await first.apply([planned('a'), planned('b')])).targets.map((target) => target.provider)).toEqual(['b', 'a']);
    const other = await second.apply([planned('a'), planned('b')]);
    expect(other.targets.map((target) => target.provider)).toEqual(['a']);
    expect(other.excluded[0]?.reason).toBe('circuit_probe_in_flight');
  });

  it('fails fast with 503 and a Retry-After when every target is open', async () => {
    const state = new InMemoryClusterState(policy);
    const now = 10_000;
    await trip(state, 'a', now);
    const filter = new HealthFilter(state, policy, () => now + 200);
    await expect(filter.apply([planned('a')])).rejects.toMatchObject({ code: 'no_target_available', status: 503, retryAfterMs: 1000 });
  });

  it('routes on what it knows when shared state cannot be read', async () => {
    const state = new InMemoryClusterState(policy);
    const broken = Object.assign(Object.create(state) as InMemoryClusterState, { circuits: () => Promise.reject(new Error('redis down')) });
    const filter = new HealthFilter(broken, policy);
    expect((await filter.apply([planned('a')])).targets).toHaveLength(1);
  });
});
