import type { Redis } from 'ioredis';
import { EMPTY_BLUE_GREEN, type BlueGreenState } from '../../contracts/control-plane/blue-green.js';
import type { BlueGreenUpdate, DeploymentStore } from '../../contracts/control-plane/deployment-store.js';
import type { ScalingState } from '../../contracts/control-plane/scaling.js';
import { redisNames, type RedisNames } from '../../contracts/queue/names.js';

/**
 * KEYS: the blue/green hash. ARGV: the revision the change was computed from, the new state (JSON).
 * Stores it (revision + 1) only if the revision is still that one; returns 1 when stored.
 */
const COMPARE_AND_SET = `
local revision = tonumber(redis.call('HGET', KEYS[1], 'revision') or '0')
if revision ~= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'revision', revision + 1, 'state', ARGV[2])
return 1
`;

/** How often a change is recomputed when other writers keep winning; far more than a control plane sees. */
const MAX_ATTEMPTS = 20;

type ScriptedRedis = Redis & { ailbBlueGreenSet(key: string, revision: string, state: string): Promise<number> };

/** Reads a stored state; a state this version cannot read counts as none (the next write replaces it). */
function parseState(hash: Record<string, string>): BlueGreenState {
  const revision = Number(hash.revision ?? 0);
  if (!hash.state) return { ...EMPTY_BLUE_GREEN, revision };
  try {
    const parsed = JSON.parse(hash.state) as Partial<BlueGreenState>;
    return {
      revision,
      weights: parsed.weights ?? {},
      active: parsed.active ?? '',
      previous: parsed.previous ?? '',
      canary: parsed.canary ?? null,
      startedAt: parsed.startedAt ?? 0,
    };
  } catch {
    return { ...EMPTY_BLUE_GREEN, revision };
  }
}

/**
 * The deployment state in Redis, shared by every gateway: blue/green in one hash (revision + JSON),
 * written by compare-and-set so concurrent writers (two operators, or every gateway trying to advance
 * the same canary step) apply each change exactly once; scaling as one JSON string.
 */
export class RedisDeploymentStore implements DeploymentStore {
  private readonly names: RedisNames;
  private readonly redis: ScriptedRedis;

  constructor(redis: Redis, prefix: string) {
    this.names = redisNames(prefix);
    redis.defineCommand('ailbBlueGreenSet', { numberOfKeys: 1, lua: COMPARE_AND_SET });
    this.redis = redis as ScriptedRedis;
  }

  async blueGreen(): Promise<BlueGreenState> {
    return parseState(await this.redis.hgetall(this.names.blueGreen));
  }

  async updateBlueGreen(change: (current: BlueGreenState) => BlueGreenState | undefined): Promise<BlueGreenUpdate> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const before = await this.blueGreen();
      const next = change(structuredClone(before));
      if (next === undefined) return { before, after: before, written: false };
      const after = { ...next, revision: before.revision + 1 };
      const { revision: _revision, ...stored } = after;
      if ((await this.redis.ailbBlueGreenSet(this.names.blueGreen, String(before.revision), JSON.stringify(stored))) === 1) return { before, after, written: true };
    }
    throw new Error(`blue/green state: ${MAX_ATTEMPTS} concurrent writes in a row won over this one; try again`);
  }

  async scaling(): Promise<ScalingState | null> {
    const json = await this.redis.get(this.names.scaling);
    if (json === null) return null;
    try {
      return JSON.parse(json) as ScalingState;
    } catch {
      return null;
    }
  }

  async setScaling(state: ScalingState): Promise<void> {
    await this.redis.set(this.names.scaling, JSON.stringify(state));
  }
}
