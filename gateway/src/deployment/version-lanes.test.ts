import { DEFAULT_CIRCUIT, EMPTY_BLUE_GREEN, setVersionWeight, type BlueGreenState, type InstanceDetails } from '@ailb/shared';
import { InMemoryClusterState } from '@ailb/shared/runtime';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { VersionLanes } from './version-lanes.js';

const worker = (version: string, health: InstanceDetails['health'] = 'healthy'): InstanceDetails => ({ version, address: '', health, startedAt: 0, connections: 0 });
const weights = (table: Record<string, number>): BlueGreenState => Object.entries(table).reduce((state, [version, weight]) => setVersionWeight(state, version, weight, 1).next, EMPTY_BLUE_GREEN);
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

let lanes: VersionLanes | undefined;
afterEach(() => lanes?.close());

/** Live workers in a real in-memory registry, with the reads of live instances counted. */
async function registryWith(...versions: Array<[string, InstanceDetails['health']?]>) {
  const state = new InMemoryClusterState({ circuit: DEFAULT_CIRCUIT, ewmaAlpha: 0.1 });
  for (const [index, [version, health]] of versions.entries()) await state.heartbeat('worker', `w${index}`, Date.now(), worker(version, health));
  const reads = { count: 0 };
  const liveInstances: InMemoryClusterState['liveInstances'] = (...args) => {
    reads.count++;
    return state.liveInstances(...args);
  };
  return { state: { liveInstances }, reads };
}

describe('VersionLanes', () => {
  it('uses the plain queue and reads nothing while no blue/green is configured', async () => {
    const { state, reads } = await registryWith(['v1'], ['v2']);
    lanes = new VersionLanes({ state, logger: pino({ level: 'silent' }), refreshMs: 5 });
    lanes.update(EMPTY_BLUE_GREEN);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(Array.from({ length: 5 }, lanes.pick)).toEqual([undefined, undefined, undefined, undefined, undefined]);
    expect(reads.count).toBe(0);
  });

  it('spreads jobs smoothly and exactly by weight over versions with live workers', async () => {
    const { state } = await registryWith(['v1'], ['v2']);
    lanes = new VersionLanes({ state, logger: pino({ level: 'silent' }) });
    lanes.update(weights({ v1: 3, v2: 1 }));
    await settle();
    expect(Array.from({ length: 8 }, lanes.pick)).toEqual(['v1', 'v1', 'v2', 'v1', 'v1', 'v1', 'v2', 'v1']);
    lanes.update(weights({ v1: 90, v2: 10 }));
    await settle();
    const picks = Array.from({ length: 1000 }, lanes.pick);
    expect(picks.filter((version) => version === 'v2')).toHaveLength(100);
  });

  it('leaves out versions without live workers, stopping ones, and weight 0; falls back to the plain queue', async () => {
    const { state } = await registryWith(['v1'], ['v2', 'stopping']);
    lanes = new VersionLanes({ state, logger: pino({ level: 'silent' }) });
    lanes.update(weights({ v1: 50, v2: 50, v3: 50 }));
    await settle();
    expect(new Set(Array.from({ length: 10 }, lanes.pick))).toEqual(new Set(['v1']));
    lanes.update(weights({ v1: 0, v2: 50 }));
    await settle();
    expect(lanes.pick()).toBeUndefined();
    expect(lanes.rotation).toEqual([]);
  });
});
