/*
 * Every Lua script of the cluster state, in one place. A script runs atomically, so concurrent workers
 * and gateways never interleave a read-modify-write of an EWMA, a circuit or a counter. The circuit
 * rules are those of `nextCircuit()` (contracts/cluster-state/circuit.ts); the parity tests run the
 * same histories through these scripts and through the in-memory store.
 *
 * Key layout (names from `redisNames`): provider stats hash (the seed's fields), target health hash
 * (circuit, counts, EWMAs), the target's in-flight sorted set (attempt id scored by expiry), the
 * target's probe claim (a string holding the claim id).
 */

/**
 * KEYS: stats, health, in-flight. ARGV: latency ms, EWMA alpha, now, TTFT ms ('' if not a stream),
 * error-rate alpha, attempt start (epoch ms), slot ('' if none held).
 */
export const RECORD_SUCCESS = `
if ARGV[7] ~= '' then redis.call('ZREM', KEYS[3], ARGV[7]) end
local alpha = tonumber(ARGV[2])
local function ewma(key, field, sample)
  local previous = redis.call('HGET', key, field)
  local value = sample
  if previous then value = alpha * sample + (1 - alpha) * tonumber(previous) end
  redis.call('HSET', key, field, tostring(value))
end
ewma(KEYS[1], 'latency_ewma', tonumber(ARGV[1]))
redis.call('HINCRBY', KEYS[1], 'total', 1)
redis.call('HINCRBY', KEYS[1], 'success', 1)
redis.call('HSET', KEYS[1], 'consecutive_failures', 0, 'last_success', ARGV[3])
ewma(KEYS[2], 'latency_ewma', tonumber(ARGV[1]))
if ARGV[4] ~= '' then ewma(KEYS[2], 'ttft_ewma', tonumber(ARGV[4])) end
redis.call('HINCRBY', KEYS[2], 'successes', 1)
if redis.call('HGET', KEYS[2], 'open') == '1' then
  -- Only an attempt admitted after the circuit opened (the probe) may close it.
  if tonumber(ARGV[6]) < tonumber(redis.call('HGET', KEYS[2], 'opened_at') or '0') then return end
  -- A probe that succeeds starts the target afresh.
  redis.call('HSET', KEYS[2], 'error_rate', 0, 'samples', 0)
else
  local rate = tonumber(redis.call('HGET', KEYS[2], 'error_rate') or '0')
  redis.call('HSET', KEYS[2], 'error_rate', tostring((1 - tonumber(ARGV[5])) * rate))
  redis.call('HINCRBY', KEYS[2], 'samples', 1)
end
redis.call('HSET', KEYS[2], 'open', 0, 'consecutive_failures', 0)
redis.call('HDEL', KEYS[2], 'opened_at')
`;

/**
 * KEYS: stats, health, in-flight. ARGV: now, failure threshold, error-rate alpha, error-rate
 * threshold ('' if off), minimum samples, slot ('' if none held).
 */
export const RECORD_FAILURE = `
if ARGV[6] ~= '' then redis.call('ZREM', KEYS[3], ARGV[6]) end
redis.call('HINCRBY', KEYS[1], 'total', 1)
redis.call('HINCRBY', KEYS[1], 'failed', 1)
redis.call('HINCRBY', KEYS[1], 'consecutive_failures', 1)
redis.call('HSET', KEYS[1], 'last_failure', ARGV[1])
redis.call('HINCRBY', KEYS[2], 'failures', 1)
local failures = redis.call('HINCRBY', KEYS[2], 'consecutive_failures', 1)
local alpha = tonumber(ARGV[3])
local rate = alpha + (1 - alpha) * tonumber(redis.call('HGET', KEYS[2], 'error_rate') or '0')
local samples = redis.call('HINCRBY', KEYS[2], 'samples', 1)
redis.call('HSET', KEYS[2], 'error_rate', tostring(rate))
local tooHighARate = ARGV[4] ~= '' and samples >= tonumber(ARGV[5]) and rate >= tonumber(ARGV[4])
if redis.call('HGET', KEYS[2], 'open') == '1' or failures >= tonumber(ARGV[2]) or tooHighARate then
  redis.call('HSET', KEYS[2], 'open', 1, 'opened_at', ARGV[1])
end
`;

/**
 * KEYS: in-flight. ARGV: now, expiry of the new slot, attempt id, concurrency limit ('' if none).
 * Expired entries (attempts of a worker that died) go first. Returns 1 when the slot was taken.
 */
export const ACQUIRE_SLOT = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if ARGV[4] ~= '' and redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[4]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[3])
redis.call('PEXPIRE', KEYS[1], math.max(1000, tonumber(ARGV[2]) - tonumber(ARGV[1])))
return 1
`;

/** KEYS: probe claim. ARGV: claim id. Deletes the claim only if this claim id still holds it. */
export const RELEASE_PROBE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;
