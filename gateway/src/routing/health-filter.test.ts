import { DEFAULT_CIRCUIT, DEFAULT_TIMEOUTS, targetKey, type PlannedTarget } from '@ailb/shared';
import { describe, expect, it } from 'vitest';
import { InMemoryClusterState } from '@ailb/shared/runtime';
import { HEALTH_CACHE_MS, HealthFilter } from './health-filter.js';

const policy = { ...DEFAULT_CIRCUIT, failureThreshold: 2, cooldownMs: 1000 };
const planned = (provider: string, maxConcurrency?: number): PlannedTarget => ({
  provider,
  model: 'm',
  timeouts: DEFAULT_TIMEOUTS,
  ...(maxConcurrency === undefined ? {} : { maxConcurrency }),
});

async function trip(state: InMemoryClusterState, provider: string, at: number): Promise<void> {
  await state.recordFailure({ provider, model: 'm' }, undefined, at);
  await state.recordFailure({ provider, model: 'm' }, undefined, at);
}

async function apply(filter: HealthFilter, targets: PlannedTarget[]) {
  return filter.apply(targets, await filter.read(targets.map(targetKey)), 'claim-1');
}

describe('HealthFilter', () => {
  it('leaves out targets whose circuit is open, keeping the order of the rest', async () => {
    const state = new InMemoryClusterState({ circuit: policy, ewmaAlpha: 0.1 });
    const now = 10_000;
    await trip(state, 'b', now);
    const verdict = await apply(new HealthFilter(state, policy, () => now), [planned('a'), planned('b'), planned('c')]);
    expect(verdict.targets.map((target) => target.provider)).toEqual(['a', 'c']);
    expect(verdict.excluded).toEqual([{ provider: 'b', model: 'm', reason: 'circuit_open' }]);
  });

  it('admits exactly one probe after the cooldown, first in the plan', async () => {
    const state = new InMemoryClusterState({ circuit: policy, ewmaAlpha: 0.1 });
    let now = 10_000;
    await trip(state, 'b', now);
    now += policy.cooldownMs + HEALTH_CACHE_MS;
    const first = await apply(new HealthFilter(state, policy, () => now), [planned('a'), planned('b')]);
    expect(first.targets.map((target) => target.provider)).toEqual(['b', 'a']);
    const other = await apply(new HealthFilter(state, policy, () => now), [planned('a'), planned('b')]);
    expect(other.targets.map((target) => target.provider)).toEqual(['a']);
    expect(other.excluded[0]?.reason).toBe('circuit_probe_in_flight');
  });

  it('fails fast with 503 and a Retry-After when every target is open', async () => {
    const state = new InMemoryClusterState({ circuit: policy, ewmaAlpha: 0.1 });
    await trip(state, 'a', 10_000);
    await expect(apply(new HealthFilter(state, policy, () => 10_200), [planned('a')])).rejects.toMatchObject({ code: 'no_target_available', status: 503, retryAfterMs: 1000 });
  });

  it('skips a target at its concurrency limit, and answers 429 with a Retry-After when all are full', async () => {
    const state = new InMemoryClusterState({ circuit: policy, ewmaAlpha: 0.1 });
    const expiresAt = Date.now() + 60_000;
    await state.acquireSlot({ provider: 'a', model: 'm' }, 'job-1', expiresAt);
    await state.acquireSlot({ provider: 'a', model: 'm' }, 'job-2', expiresAt);
    const verdict = await apply(new HealthFilter(state, policy), [planned('a', 2), planned('b', 2)]);
    expect(verdict.targets.map((target) => target.provider)).toEqual(['b']);
    expect(verdict.excluded).toEqual([{ provider: 'a', model: 'm', reason: 'saturated' }]);
    await expect(apply(new HealthFilter(state, policy), [planned('a', 2)])).rejects.toMatchObject({ code: 'rate_limit_exceeded', status: 429, retryAfterMs: 1000 });
  });

  it('routes on what it knows when shared state cannot be read', async () => {
    const state = new InMemoryClusterState({ circuit: policy, ewmaAlpha: 0.1 });
    const broken = Object.assign(Object.create(state) as InMemoryClusterState, { targetHealth: () => Promise.reject(new Error('redis down')) });
    expect((await apply(new HealthFilter(broken, policy), [planned('a')])).targets).toHaveLength(1);
  });

  it('marks the probe it claimed, and gives back a claim no attempt used', async () => {
    const state = new InMemoryClusterState({ circuit: policy, ewmaAlpha: 0.1 });
    let now = 10_000;
    await trip(state, 'b', now);
    now += policy.cooldownMs + HEALTH_CACHE_MS;
    const filter = new HealthFilter(state, policy, () => now);
    const verdict = await filter.apply([planned('a'), planned('b')], await filter.read(['a/m', 'b/m']), 'request-1');
    expect(verdict.targets.map((target) => [target.provider, target.probe])).toEqual([['b', true], ['a', undefined]]);
    // The request failed before dispatch: nothing tried b, so its probe is free for the next request.
    await filter.releaseUnusedProbes(verdict.targets, 'request-1', new Set());
    expect((await apply(filter, [planned('b')])).targets.map((target) => target.provider)).toEqual(['b']);
    // A request that did try the probe keeps its claim: the attempt's outcome moves the circuit on.
    await filter.releaseUnusedProbes([{ ...planned('b'), probe: true }], 'claim-1', new Set(['b/m']));
    await expect(apply(filter, [planned('b')])).rejects.toMatchObject({ code: 'no_target_available' });
  });

  it('never claims the probe of a target it skips for being full', async () => {
    const state = new InMemoryClusterState({ circuit: policy, ewmaAlpha: 0.1 });
    let now = Date.now();
    await trip(state, 'b', now);
    await state.acquireSlot({ provider: 'b', model: 'm' }, 'running', now + 60_000);
    now += policy.cooldownMs + HEALTH_CACHE_MS;
    const filter = new HealthFilter(state, policy, () => now);
    const verdict = await apply(filter, [planned('a'), planned('b', 1)]);
    expect(verdict.excluded).toEqual([{ provider: 'b', model: 'm', reason: 'saturated' }]);
    expect(await state.claimProbe('b/m', 'someone-else', 1000, now)).toBe(true);
  });
});

