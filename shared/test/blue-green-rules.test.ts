import { describe, expect, it } from 'vitest';
import {
  advanceCanary,
  BlueGreenRefusal,
  desiredInstances,
  EMPTY_BLUE_GREEN,
  promoteVersion,
  rollbackVersion,
  routableVersions,
  scalingProblem,
  setVersionWeight,
  versionServes,
  type BlueGreenState,
  type ScalingSettings,
} from '../src/index.js';

/* The blue/green and scaling rules every gateway applies (both stores only read and compare-and-set). */

const STEP = 10_000;
const at = (state: BlueGreenState, version: string, weight: number, now = 1000) => setVersionWeight(state, version, weight, now).next;
const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    if (error instanceof BlueGreenRefusal) return { kind: error.kind, field: error.field, message: error.message };
    throw error;
  }
  throw new Error('expected a refusal');
};

describe('blue/green weights', () => {
  it('serves every version until the table lists it with weight 0', () => {
    expect(versionServes(EMPTY_BLUE_GREEN, 'v1')).toBe(true);
    const state = at(at(EMPTY_BLUE_GREEN, 'v1', 100), 'v2', 0);
    expect(versionServes(state, 'v1')).toBe(true);
    expect(versionServes(state, 'v2')).toBe(false);
    expect(versionServes(state, 'v3')).toBe(true);
    // The first version given a positive weight is active until a promotion says otherwise.
    expect(state.active).toBe('v1');
  });

  it('validates the version and a 0-100 integer weight, naming the field', () => {
    expect(refusal(() => setVersionWeight(EMPTY_BLUE_GREEN, 'v1', 101, 0))).toMatchObject({ kind: 'invalid_argument', field: 'weight' });
    expect(refusal(() => setVersionWeight(EMPTY_BLUE_GREEN, 'v1', -1, 0))).toMatchObject({ kind: 'invalid_argument', field: 'weight' });
    expect(refusal(() => setVersionWeight(EMPTY_BLUE_GREEN, 'v1', 2.5, 0))).toMatchObject({ kind: 'invalid_argument', field: 'weight' });
    expect(refusal(() => setVersionWeight(EMPTY_BLUE_GREEN, '', 10, 0))).toMatchObject({ kind: 'invalid_argument', field: 'version' });
    expect(refusal(() => setVersionWeight(EMPTY_BLUE_GREEN, 'v 1', 10, 0))).toMatchObject({ kind: 'invalid_argument', field: 'version' });
  });

  it('routes to listed versions with a positive weight and live workers, normalized', () => {
    const state = at(at(at(EMPTY_BLUE_GREEN, 'v1', 90), 'v2', 30), 'v3', 0);
    expect(routableVersions(state, new Set(['v1', 'v2', 'v3', 'v4']))).toEqual([
      { version: 'v1', weight: 90 },
      { version: 'v2', weight: 30 },
    ]);
    expect(routableVersions(state, new Set(['v2']))).toEqual([{ version: 'v2', weight: 30 }]);
    expect(routableVersions(state, new Set(['v3', 'v4']))).toEqual([]);
  });
});

describe('PromoteVersion', () => {
  const base = at(EMPTY_BLUE_GREEN, 'v1', 100);

  it('immediately: everything to the version, which becomes active; the old one becomes previous', () => {
    const promoted = promoteVersion(base, 'v2', { immediate: true, rate: 0, stepMs: STEP, now: 5 })!;
    expect(promoted.weights).toEqual({ v1: 0, v2: 100 });
    expect(promoted).toMatchObject({ active: 'v2', previous: 'v1', canary: null, startedAt: 5 });
    expect(promoteVersion(promoted, 'v2', { immediate: true, rate: 0, stepMs: STEP, now: 6 })).toBeUndefined();
  });

  it('gradually: rate points now and at each due step, the others shrinking, until it completes', () => {
    let state = promoteVersion(base, 'v2', { immediate: false, rate: 30, stepMs: STEP, now: 0 })!;
    expect(state.weights).toEqual({ v1: 70, v2: 30 });
    expect(state).toMatchObject({ active: 'v1', canary: { version: 'v2', from: 'v1', rate: 30, nextStepAt: STEP } });
    expect(advanceCanary(state, STEP - 1)).toBeUndefined();
    state = advanceCanary(state, STEP)!;
    expect(state.weights).toEqual({ v1: 40, v2: 60 });
    state = advanceCanary(state, 2 * STEP)!;
    expect(state.weights).toEqual({ v1: 10, v2: 90 });
    state = advanceCanary(state, 3 * STEP)!;
    expect(state.weights).toEqual({ v1: 0, v2: 100 });
    expect(state).toMatchObject({ active: 'v2', previous: 'v1', canary: null });
    expect(advanceCanary(state, 4 * STEP)).toBeUndefined();
  });

  it('uses 10 points per step for rate 0 and rejects rates outside 0-100', () => {
    expect(promoteVersion(base, 'v2', { immediate: false, rate: 0, stepMs: STEP, now: 0 })!.weights).toEqual({ v1: 90, v2: 10 });
    expect(refusal(() => promoteVersion(base, 'v2', { immediate: false, rate: 101, stepMs: STEP, now: 0 }))).toMatchObject({ field: 'promotion_rate' });
    expect(refusal(() => promoteVersion(base, 'v2', { immediate: false, rate: -5, stepMs: STEP, now: 0 }))).toMatchObject({ field: 'promotion_rate' });
  });

  it('with nothing to shrink, seeds an empty table from the one other worker version, else refuses', () => {
    // Empty table, v1 workers running: v1 becomes active with 100 first, then the canary starts from it.
    const seeded = promoteVersion(EMPTY_BLUE_GREEN, 'v2', { immediate: false, rate: 10, stepMs: STEP, now: 0, workerVersions: ['v1', 'v2', 'v1'] })!;
    expect(seeded.weights).toEqual({ v1: 90, v2: 10 });
    expect(seeded).toMatchObject({ active: 'v1', canary: { version: 'v2', from: 'v1', baseline: { v1: 100 } } });
    expect(rollbackVersion(seeded, '', 1).next!.weights).toEqual({ v1: 100, v2: 0 });
    expect(advanceCanary(seeded, STEP)!.weights).toEqual({ v1: 80, v2: 20 });

    const nothing = (state: BlueGreenState, workerVersions: string[]) => refusal(() => promoteVersion(state, 'v2', { immediate: false, rate: 10, stepMs: STEP, now: 0, workerVersions }));
    // Empty table and no other version running, or several: which one is current is not known.
    expect(nothing(EMPTY_BLUE_GREEN, ['v2'])).toMatchObject({ kind: 'failed_precondition', field: 'version' });
    expect(nothing(EMPTY_BLUE_GREEN, ['v1', 'v3']).message).toContain('promote the current version immediately first');
    // Every other listed version at 0: the canary would take every lane job at once.
    expect(nothing(at(at(EMPTY_BLUE_GREEN, 'v1', 0), 'v2', 0), ['v1']).message).toContain('promote the current version immediately first');
    expect(nothing(at(EMPTY_BLUE_GREEN, 'v2', 30), ['v1'])).toMatchObject({ kind: 'failed_precondition' });
    // A rate that completes at once needs nothing to shrink; neither does an immediate promotion.
    expect(promoteVersion(EMPTY_BLUE_GREEN, 'v2', { immediate: false, rate: 100, stepMs: STEP, now: 0 })).toMatchObject({ active: 'v2', weights: { v2: 100 } });
    expect(promoteVersion(EMPTY_BLUE_GREEN, 'v2', { immediate: true, rate: 0, stepMs: STEP, now: 0 })).toMatchObject({ active: 'v2', weights: { v2: 100 } });
  });

  it('a manual weight stops a promotion in progress', () => {
    const canary = promoteVersion(base, 'v2', { immediate: false, rate: 10, stepMs: STEP, now: 0 })!;
    const { next, stoppedCanary } = setVersionWeight(canary, 'v2', 50, 1);
    expect(stoppedCanary).toBe('v2');
    expect(next.canary).toBeNull();
    expect(next.weights).toEqual({ v1: 90, v2: 50 });
  });
});

describe('Rollback', () => {
  const v1Active = promoteVersion(at(EMPTY_BLUE_GREEN, 'v0', 100), 'v1', { immediate: true, rate: 0, stepMs: STEP, now: 0 })!;

  it('mid-canary returns everything to the version the canary started from and stops it', () => {
    let state = promoteVersion(v1Active, 'v2', { immediate: false, rate: 10, stepMs: STEP, now: 0 })!;
    state = advanceCanary(state, STEP)!;
    expect(state.weights).toMatchObject({ v1: 80, v2: 20 });
    const { from, to, next } = rollbackVersion(state, '', 2 * STEP);
    expect({ from, to }).toEqual({ from: 'v2', to: 'v1' });
    expect(next!.weights).toEqual({ v0: 0, v1: 100, v2: 0 });
    // The canary version was never active: previous stays v0, and no later step moves anything.
    expect(next).toMatchObject({ active: 'v1', previous: 'v0', canary: null });
    expect(advanceCanary(next!, 10 * STEP)).toBeUndefined();
  });

  it('after a completed promotion returns to the previously active version', () => {
    const promoted = promoteVersion(v1Active, 'v2', { immediate: true, rate: 0, stepMs: STEP, now: 0 })!;
    const { from, to, next } = rollbackVersion(promoted, '', 1);
    expect({ from, to }).toEqual({ from: 'v2', to: 'v1' });
    expect(next).toMatchObject({ active: 'v1', previous: 'v2', weights: { v0: 0, v1: 100, v2: 0 } });
  });

  it('after weights set by hand beside the active version (a manual canary), returns to the active one', () => {
    // v0 → v1 promoted at once, then v1=90 / v2=10 by SetTrafficWeight.
    const manual = at(at(v1Active, 'v1', 90), 'v2', 10);
    expect(manual).toMatchObject({ active: 'v1', previous: 'v0', canary: null });
    const { from, to, next } = rollbackVersion(manual, '', 1);
    expect({ from, to }).toEqual({ from: 'v2', to: 'v1' });
    expect(next).toMatchObject({ active: 'v1', previous: 'v0', weights: { v0: 0, v1: 100, v2: 0 } });
    // Once the active version holds all traffic, Rollback goes to the previously active one.
    expect(rollbackVersion(next!, '', 2)).toMatchObject({ from: 'v1', to: 'v0', next: { active: 'v0', previous: 'v1', weights: { v0: 100, v1: 0, v2: 0 } } });
    // The active version drained by hand with another one carrying traffic: back to the active one too.
    expect(rollbackVersion(at(at(v1Active, 'v1', 0), 'v2', 40), '', 1)).toMatchObject({ from: 'v2', to: 'v1', next: { weights: { v0: 0, v1: 100, v2: 0 }, previous: 'v0' } });
  });

  it('refuses without a previous version, and an unknown target', () => {
    expect(refusal(() => rollbackVersion(at(EMPTY_BLUE_GREEN, 'v1', 100), '', 0))).toMatchObject({ kind: 'failed_precondition' });
    expect(refusal(() => rollbackVersion(v1Active, 'v9', 0))).toMatchObject({ kind: 'not_found', field: 'target_version' });
    expect(rollbackVersion(v1Active, 'v1', 0).next).toBeUndefined();
  });
});

describe('Scale', () => {
  const settings: ScalingSettings = { minInstances: 2, maxInstances: 6, targetCpuPercent: 70, targetMemoryPercent: 0, targetConnections: 100, scaleUpThreshold: 80, scaleDownThreshold: 30, cooldownSeconds: 60, autoScalingEnabled: true };

  it('validates bounds and percentages, naming the field', () => {
    expect(scalingProblem(settings)).toBeUndefined();
    expect(scalingProblem({ ...settings, minInstances: 7 })?.field).toBe('config.min_instances');
    expect(scalingProblem({ ...settings, maxInstances: 0 })?.field).toBe('config.max_instances');
    expect(scalingProblem({ ...settings, targetCpuPercent: 120 })?.field).toBe('config.target_cpu_percent');
    expect(scalingProblem({ ...settings, scaleDownThreshold: 90 })?.field).toBe('config.scale_down_threshold');
    expect(scalingProblem({ ...settings, cooldownSeconds: -1 })?.field).toBe('config.cooldown_seconds');
  });

  it('desires enough gateways for the connections (auto) or the running ones, within bounds', () => {
    expect(desiredInstances(settings, { gateways: 3, connections: 450 })).toBe(5);
    expect(desiredInstances(settings, { gateways: 3, connections: 5000 })).toBe(6);
    expect(desiredInstances(settings, { gateways: 3, connections: 10 })).toBe(2);
    expect(desiredInstances({ ...settings, autoScalingEnabled: false }, { gateways: 3, connections: 5000 })).toBe(3);
    expect(desiredInstances({ ...settings, autoScalingEnabled: false }, { gateways: 1, connections: 0 })).toBe(2);
  });
});
