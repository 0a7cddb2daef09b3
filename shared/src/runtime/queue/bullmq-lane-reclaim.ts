import { randomUUID } from 'node:crypto';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { laneQueueName, queueContracts, redisNames, type QueueName, type RedisNames } from '../../index.js';
import { bullmqPriority } from './bullmq-job-options.js';

/**
 * KEYS: the lane's wait list, its prioritized set, the move journal. ARGV: the lane's job key prefix
 * (`<prefix>:chat@v1:`), how many jobs at most, the queue, the lane.
 *
 * Takes waiting jobs out of a lane in one atomic step. A job still in the wait list or the prioritized
 * set is not active (BullMQ moves a job to active in one atomic step of its own), so each job is taken
 * either by a worker of the lane or by this script, never both. The job's data goes into the journal
 * in the same step, so it survives the mover dying before the job is in the plain queue. Reads BullMQ's
 * key layout (`<prefix>:<queue>:wait|prioritized|<id>`); the lane tests run it against real BullMQ.
 * Returns [id, data, id, data, …], next-to-run first.
 */
const CLAIM = `
local max = tonumber(ARGV[2])
local claimed = {}
local function claim(id)
  local jobKey = ARGV[1] .. id
  local data = redis.call('HGET', jobKey, 'data')
  redis.call('DEL', jobKey, jobKey .. ':logs')
  if data then
    redis.call('HSET', KEYS[3], id, cjson.encode({ queue = ARGV[3], lane = ARGV[4], data = data }))
    claimed[#claimed + 1] = id
    claimed[#claimed + 1] = data
  end
end
local ids = redis.call('LRANGE', KEYS[1], -max, -1)
for i = #ids, 1, -1 do
  redis.call('LREM', KEYS[1], -1, ids[i])
  claim(ids[i])
end
local room = max - #ids
if room > 0 then
  for _, id in ipairs(redis.call('ZRANGE', KEYS[2], 0, room - 1)) do
    redis.call('ZREM', KEYS[2], id)
    claim(id)
  end
end
return claimed
`;

/** KEYS: a lock. ARGV: the holder's token. Deletes the lock only if this holder still has it. */
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

/** Jobs taken per script call. */
const BATCH = 100;
/** How long a mover holds a lane: far longer than a sweep takes; a mover that died frees it by then. */
const LOCK_MS = 10_000;
/** How long a moved job's id is kept after it ran when its deadline is unknown. */
const UNKNOWN_DEADLINE_KEEP_S = 24 * 3600;

type ScriptedRedis = Redis & {
  ailbClaimLane(wait: string, prioritized: string, journal: string, jobPrefix: string, max: number, queue: string, lane: string): Promise<string[]>;
  ailbReleaseLock(lock: string, token: string): Promise<number>;
};

export interface BullmqLaneReclaimOptions {
  /** A command connection (not a subscriber). */
  redis: Redis;
  prefix: string;
  logger: Logger;
  /** The producer's BullMQ queue of `name` (the plain one). */
  queue: (name: QueueName) => Queue;
}

/**
 * Moves the waiting jobs of a BullMQ lane (`chat@v1`) back to the plain queue (`chat`) — BullMQ has no
 * move between queues. One instance moves a lane at a time (a short lock); each job is taken out of
 * the lane atomically together with a journal entry (see {@link CLAIM}), added to the plain queue
 * under the same job id, then its journal entry is cleared. Entries a dead mover left are finished by
 * the next move of any lane. Finishing one twice cannot run the job twice: a moved job's id is kept
 * in the plain queue until its deadline has passed (so a second add of it is a no-op), and after the
 * deadline every consumer drops it unrun.
 */
export class BullmqLaneReclaim {
  private readonly names: RedisNames;
  private readonly redis: ScriptedRedis;

  constructor(private readonly options: BullmqLaneReclaimOptions) {
    this.names = redisNames(options.prefix);
    options.redis.defineCommand('ailbClaimLane', { numberOfKeys: 3, lua: CLAIM });
    options.redis.defineCommand('ailbReleaseLock', { numberOfKeys: 1, lua: RELEASE });
    this.redis = options.redis as ScriptedRedis;
  }

  async reclaim(name: QueueName, lane: string): Promise<number> {
    const transportName = laneQueueName(queueContracts[name].name, lane);
    const lock = this.names.laneReclaimLock(transportName);
    const token = randomUUID();
    if ((await this.redis.set(lock, token, 'PX', LOCK_MS, 'NX')) !== 'OK') return 0;
    try {
      let moved = await this.finishMoves();
      const key = (type: string) => `${this.options.prefix}:${transportName}:${type}`;
      for (;;) {
        const claimed = await this.redis.ailbClaimLane(key('wait'), key('prioritized'), this.names.laneMoves, key(''), BATCH, name, lane);
        for (let index = 0; index < claimed.length; index += 2) moved += await this.place(name, claimed[index]!, claimed[index + 1]!);
        if (claimed.length < BATCH * 2) break;
      }
      if (moved > 0) this.options.logger.info({ lane: transportName, moved }, 'moved the waiting jobs of a lane without workers back to the plain queue');
      return moved;
    } finally {
      await this.redis.ailbReleaseLock(lock, token).catch(() => 0);
    }
  }

  /** Finishes the moves a mover left half-done (every lane's): adds each job (again) and clears its entry. */
  private async finishMoves(): Promise<number> {
    let moved = 0;
    for (const [jobId, json] of Object.entries(await this.redis.hgetall(this.names.laneMoves))) {
      let entry: { queue?: unknown; data?: unknown } | undefined;
      try {
        entry = JSON.parse(json) as { queue?: unknown; data?: unknown };
      } catch {
        entry = undefined;
      }
      if (!entry || typeof entry.data !== 'string' || typeof entry.queue !== 'string' || !Object.hasOwn(queueContracts, entry.queue)) {
        this.options.logger.error({ jobId }, 'dropping an unreadable lane move entry');
        await this.redis.hdel(this.names.laneMoves, jobId);
        continue;
      }
      moved += await this.place(entry.queue as QueueName, jobId, entry.data);
    }
    return moved;
  }

  /** Adds a taken job to the plain queue under its id (a no-op if it is there already), then clears its journal entry. */
  private async place(name: QueueName, jobId: string, data: string): Promise<number> {
    let job: { deadlineAt?: unknown; priority?: unknown } | undefined;
    try {
      job = JSON.parse(data) as { deadlineAt?: unknown; priority?: unknown };
    } catch {
      job = undefined;
    }
    const remainingMs = typeof job?.deadlineAt === 'number' ? job.deadlineAt - Date.now() : Number.POSITIVE_INFINITY;
    let placed = 0;
    if (job && remainingMs > 0) {
      // Kept after it ran until past its deadline: see the class comment (never run twice).
      const keepSeconds = Number.isFinite(remainingMs) ? Math.ceil(remainingMs / 1000) + 60 : UNKNOWN_DEADLINE_KEEP_S;
      await this.options.queue(name).add(name, job, { jobId, ...bullmqPriority(job.priority), removeOnComplete: { age: keepSeconds }, removeOnFail: { age: keepSeconds } });
      placed = 1;
    } else {
      // Nobody waits for it any more: every consumer would drop it unrun.
      this.options.logger.warn({ jobId, queue: name }, job ? 'a job taken from a lane had passed its deadline; dropped' : 'a job taken from a lane could not be read; dropped');
    }
    await this.redis.hdel(this.names.laneMoves, jobId);
    return placed;
  }
}
