/*
 * Blue/green deployment state and its rules, as pure functions: both stores (Redis, memory) only read
 * and compare-and-set the state, so every gateway applies exactly these transitions.
 *
 * Weights are percentages 0–100 per version. They need not add up to 100: what a version receives is
 * its weight divided by the sum of the weights that can take traffic (normalized), so operators can
 * move one version at a time with `SetTrafficWeight` without passing through a rejected state.
 */

/** A version name: what `VERSION` accepts (it also names a queue lane). */
export const VERSION_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

/** Points a gradual promotion moves per step when `promotion_rate` is 0. */
export const DEFAULT_PROMOTION_RATE = 10;

/** A gradual promotion in progress, persisted so whichever gateway is up continues it. */
export interface Canary {
  /** The version being promoted. */
  version: string;
  /** The version that was active when the promotion started: a rollback mid-canary returns to it. */
  from: string;
  /** Points moved to `version` per step (1–100). */
  rate: number;
  /** Time between two steps (ms), fixed when the promotion started. */
  stepMs: number;
  /** The other versions' weights when it started; they shrink in proportion as `version` grows. */
  baseline: Record<string, number>;
  /** When the next step is due (epoch ms). */
  nextStepAt: number;
}

/** The blue/green state of one deployment. */
export interface BlueGreenState {
  /** Incremented by every write; stores compare-and-set on it. */
  revision: number;
  /** Version → weight (0–100). Empty: no blue/green configured; every version serves. */
  weights: Record<string, number>;
  /** The version last promoted or rolled back to ('' before any); before any promotion, the first version given a positive weight. */
  active: string;
  /** The version that was active before `active` ('' if none): where `Rollback` with no target goes. */
  previous: string;
  canary: Canary | null;
  /** When the current deployment (promotion, rollback, first weight) started (epoch ms); 0 = never. */
  startedAt: number;
}

export const EMPTY_BLUE_GREEN: BlueGreenState = { revision: 0, weights: {}, active: '', previous: '', canary: null, startedAt: 0 };

/** Why a blue/green change was refused; the control plane maps `kind` to a gRPC status. */
export class BlueGreenRefusal extends Error {
  constructor(
    readonly kind: 'invalid_argument' | 'not_found' | 'failed_precondition',
    message: string,
    /** The request field at fault (`version`, `weight` …). */
    readonly field?: string,
  ) {
    super(field ? `${field}: ${message}` : message);
    this.name = 'BlueGreenRefusal';
  }
}

function checkVersion(version: string, field: string): void {
  if (!VERSION_PATTERN.test(version)) throw new BlueGreenRefusal('invalid_argument', 'must be 1-64 letters, digits, ".", "_" or "-"', field);
}

/** True when blue/green weights are set at all. */
export function isBlueGreenConfigured(state: BlueGreenState): boolean {
  return Object.keys(state.weights).length > 0;
}

/**
 * Whether instances of `version` take traffic: false only when the table lists the version with
 * weight 0. A version absent from the table, or no table at all, serves (the NLB may run versions
 * AILB was never told about; draining them is an explicit act).
 */
export function versionServes(state: BlueGreenState, version: string): boolean {
  return state.weights[version] !== 0;
}

/** `version`'s weight; undefined when the table does not list it. */
export function versionWeight(state: BlueGreenState, version: string): number | undefined {
  return Object.hasOwn(state.weights, version) ? state.weights[version] : undefined;
}

/** The weights during a promotion of `canary.version` at `progress` points. */
function weightsAt(canary: Pick<Canary, 'version' | 'baseline'>, progress: number, all: Record<string, number>): Record<string, number> {
  const weights: Record<string, number> = {};
  const baselineSum = Object.values(canary.baseline).reduce((sum, weight) => sum + weight, 0);
  for (const version of Object.keys(all)) {
    weights[version] = baselineSum === 0 ? 0 : Math.round(((canary.baseline[version] ?? 0) * (100 - progress)) / baselineSum);
  }
  weights[canary.version] = progress;
  return weights;
}

/** Everything to `version`, every other listed version to 0. */
function allTo(version: string, weights: Record<string, number>): Record<string, number> {
  return { ...Object.fromEntries(Object.keys(weights).map((other) => [other, 0])), [version]: 100 };
}

/** `SetTrafficWeight`: a manual weight. A promotion in progress stops (the operator took over). */
export function setVersionWeight(state: BlueGreenState, version: string, weight: number, now: number): { next: BlueGreenState; stoppedCanary: string | null } {
  checkVersion(version, 'version');
  if (!Number.isInteger(weight) || weight < 0 || weight > 100) throw new BlueGreenRefusal('invalid_argument', `must be an integer from 0 to 100, got ${weight}`, 'weight');
  const next: BlueGreenState = { ...state, weights: { ...state.weights, [version]: weight }, canary: null };
  if (next.active === '' && weight > 0) next.active = version;
  if (next.startedAt === 0) next.startedAt = now;
  return { next, stoppedCanary: state.canary?.version ?? null };
}

/** Promotion finished: `version` takes everything and becomes active; the one it replaced becomes previous. */
function completed(state: BlueGreenState, version: string, from: string, now: number): BlueGreenState {
  return { ...state, weights: allTo(version, state.weights), active: version, previous: from !== '' && from !== version ? from : state.previous, canary: null, startedAt: now };
}

/**
 * `PromoteVersion`. Immediate: `version` gets 100 now, every other version 0, and becomes active.
 * Gradual: `version` gains `rate` points now and again every `stepMs` (see {@link advanceCanary})
 * until it reaches 100; the other versions shrink in proportion to their weights when it started.
 * Returns undefined when there is nothing to do (already fully promoted).
 */
export function promoteVersion(
  state: BlueGreenState,
  version: string,
  options: {
    immediate: boolean;
    rate: number;
    stepMs: number;
    now: number;
    /**
     * Versions of the live, not-stopping workers: when the table is empty, a gradual promotion starts
     * from the one other version running (it becomes active with 100 first). @defaultValue none
     */
    workerVersions?: readonly string[];
  },
): BlueGreenState | undefined {
  checkVersion(version, 'version');
  const { immediate, stepMs, now } = options;
  if (!Number.isInteger(options.rate) || options.rate < 0 || options.rate > 100) throw new BlueGreenRefusal('invalid_argument', `must be an integer from 1 to 100 (0: ${DEFAULT_PROMOTION_RATE}), got ${options.rate}`, 'promotion_rate');
  const full = state.active === version && state.canary === null && Object.entries(state.weights).every(([name, weight]) => weight === (name === version ? 100 : 0));
  if (full && Object.keys(state.weights).length > 0) return undefined;
  const from = state.canary ? state.canary.from : state.active;
  if (immediate) return completed({ ...state, weights: { ...state.weights, [version]: 100 } }, version, from, now);
  const rate = options.rate === 0 ? DEFAULT_PROMOTION_RATE : options.rate;
  const progress = Math.min(100, (state.weights[version] ?? 0) + rate);
  if (progress >= 100) return completed(state, version, from, now);
  const start = canaryStart(state, version, options.workerVersions ?? []);
  const baseline = Object.fromEntries(Object.entries(start.weights).filter(([name]) => name !== version));
  const canary: Canary = { version, from: state.canary ? from : start.active, rate, stepMs, baseline, nextStepAt: now + stepMs };
  return { ...start, weights: weightsAt(canary, progress, { ...start.weights, [version]: progress }), canary, startedAt: now };
}

/**
 * The state a canary of `version` starts from. The other versions must hold some traffic to shrink:
 * with nothing to shrink the canary would get every lane job at once and `Rollback` would have no
 * version to return to. An empty table is seeded from the one other worker version running (it
 * becomes active with 100); otherwise the promotion is refused.
 */
function canaryStart(state: BlueGreenState, version: string, workerVersions: readonly string[]): BlueGreenState {
  const others = Object.entries(state.weights).filter(([name]) => name !== version);
  if (others.some(([, weight]) => weight > 0)) return state;
  const running = [...new Set(workerVersions)].filter((name) => name !== version && name !== '');
  if (Object.keys(state.weights).length === 0 && running.length === 1) {
    const seed = running[0]!;
    return { ...state, weights: { [seed]: 100 }, active: seed };
  }
  const why =
    Object.keys(state.weights).length === 0
      ? `the blue/green table is empty and ${running.length === 0 ? 'no other worker version is running' : `several other worker versions run (${running.join(', ')})`}, so there is no current version to shrink`
      : `no other version has traffic to shrink (weights: ${Object.entries(state.weights).map(([name, weight]) => `${name}=${weight}`).join(', ')})`;
  throw new BlueGreenRefusal('failed_precondition', `${why}; promote the current version immediately first (PromoteVersion with immediate=true), then start the canary of ${version}`, 'version');
}

/**
 * One step of a gradual promotion, when due: `rate` more points to the canary version; at 100 the
 * promotion completes. Undefined when no step is due (so concurrent gateways write it once).
 */
export function advanceCanary(state: BlueGreenState, now: number): BlueGreenState | undefined {
  const canary = state.canary;
  if (!canary || now < canary.nextStepAt) return undefined;
  const progress = Math.min(100, (state.weights[canary.version] ?? 0) + canary.rate);
  if (progress >= 100) return completed(state, canary.version, canary.from, now);
  return { ...state, weights: weightsAt(canary, progress, state.weights), canary: { ...canary, nextStepAt: now + canary.stepMs } };
}

/**
 * `Rollback`: every point to `target`, every other version to 0, any promotion stopped. An empty
 * target undoes the last change of traffic: mid-canary, back to the version the canary started from
 * (still the active one); when other versions hold traffic beside the active one (weights set by hand,
 * a manual canary), back to the active version; otherwise, once the active version holds all
 * traffic, to the previously active one. In the first two cases `previous` stays as it was.
 * Returns the version traffic was taken from and the new state (undefined: nothing changes).
 */
export function rollbackVersion(state: BlueGreenState, target: string, now: number): { from: string; to: string; next: BlueGreenState | undefined } {
  const canary = state.canary;
  let to = target;
  // Traffic set by hand (SetTrafficWeight) beside the active version: a manual canary, undone like one.
  const manualCanary = canary === null && state.active !== '' && heaviestOther(state, state.active) !== undefined;
  if (to === '') {
    to = canary ? canary.from : manualCanary ? state.active : state.previous;
    if (to === '') throw new BlueGreenRefusal('failed_precondition', canary ? 'the promotion in progress started with no active version; name target_version' : 'there is no previously active version to roll back to; name target_version');
  } else {
    checkVersion(to, 'target_version');
    const known = Object.hasOwn(state.weights, to) || to === state.active || to === state.previous;
    if (!known) throw new BlueGreenRefusal('not_found', `version "${to}" is not known to the blue/green state (versions: ${Object.keys(state.weights).join(', ') || 'none'})`, 'target_version');
  }
  const from = canary ? canary.version : manualCanary && to === state.active ? heaviestOther(state, to)! : state.active;
  const full = canary === null && state.active === to && Object.entries(state.weights).every(([name, weight]) => weight === (name === to ? 100 : 0)) && Object.hasOwn(state.weights, to);
  if (full) return { from, to, next: undefined };
  // Mid-canary the canary version was never active: `previous` stays what it was.
  const returningFromCanary = canary !== null && to === canary.from;
  const previous = returningFromCanary ? state.previous : state.active !== '' && state.active !== to ? state.active : state.previous;
  return { from, to, next: { ...state, weights: allTo(to, state.weights), active: to, previous, canary: null, startedAt: now } };
}

/** The listed version other than `version` with the highest positive weight (ties: by name); undefined when none has traffic. */
function heaviestOther(state: BlueGreenState, version: string): string | undefined {
  return Object.entries(state.weights)
    .filter(([name, weight]) => name !== version && weight > 0)
    .sort(([a, weightA], [b, weightB]) => weightB - weightA || (a < b ? -1 : 1))[0]?.[0];
}

/**
 * The versions jobs go to and their shares: listed versions with a positive weight among `eligible`
 * (versions that have live workers). Empty when blue/green is not configured or none qualifies —
 * the job then goes to the plain lane, which every worker takes (weights never make AILB refuse).
 */
export function routableVersions(state: BlueGreenState, eligible: ReadonlySet<string>): Array<{ version: string; weight: number }> {
  return Object.entries(state.weights)
    .filter(([version, weight]) => weight > 0 && eligible.has(version))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([version, weight]) => ({ version, weight }));
}
