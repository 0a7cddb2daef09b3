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
 * error-rate alpha, attempt start (epoch ms), slot ('' if none held). One read and one write per hash:
 * this runs once per served request.
 */
export const RECORD_SUCCESS = `
if ARGV[7] ~= '' then redis.call('ZREM', KEYS[3], ARGV[7]) end
local alpha = tonumber(ARGV[2])
local latency = tonumber(ARGV[1])
local function ewma(previous, sample)
  if previous then return tostring(alpha * sample + (1 - alpha) * tonumber(previous)) end
  return tostring(sample)
end
local stats = redis.call('HMGET', KEYS[1], 'latency_ewma', 'total', 'success')
redis.call('HSET', KEYS[1], 'latency_ewma', ewma(stats[1], latency), 'total', (tonumber(stats[2]) or 0) + 1,
  'success', (tonumber(stats[3]) or 0) + 1, 'consecutive_failures', 0, 'last_success', ARGV[3])
local health = redis.call('HMGET', KEYS[2], 'latency_ewma', 'ttft_ewma', 'successes', 'open', 'opened_at', 'error_rate', 'samples')
local fields = { 'latency_ewma', ewma(health[1], latency), 'successes', (tonumber(health[3]) or 0) + 1 }
if ARGV[4] ~= '' then
  table.insert(fields, 'ttft_ewma')
  table.insert(fields, ewma(health[2], tonumber(ARGV[4])))
end
if health[4] == '1' then
  -- Only an attempt admitted after the circuit opened (the probe) may close it.
  if tonumber(ARGV[6]) < tonumber(health[5] or '0') then
    redis.call('HSET', KEYS[2], unpack(fields))
    return
  end
  -- A probe that succeeds starts the target afresh.
  for _, item in ipairs({ 'error_rate', 0, 'samples', 0 }) do table.insert(fields, item) end
else
  local rate = tonumber(health[6] or '0')
  for _, item in ipairs({ 'error_rate', tostring((1 - tonumber(ARGV[5])) * rate), 'samples', (tonumber(health[7]) or 0) + 1 }) do table.insert(fields, item) end
end
for _, item in ipairs({ 'open', 0, 'consecutive_failures', 0 }) do table.insert(fields, item) end
redis.call('HSET', KEYS[2], unpack(fields))
if health[5] then redis.call('HDEL', KEYS[2], 'opened_at') end
`;

/**
 * KEYS: stats, health, in-flight. ARGV: now, failure threshold, error-rate alpha, error-rate
 * threshold ('' if off), minimum samples, slot ('' if none held), the control-plane channel (an
 * argument, not a key: a channel is no key slot in Redis Cluster). A failure that
 * opens the circuit publishes `circuits` on the channel: every gateway drops its cached health at
 * once instead of routing to the failing target until its cache expires.
 */
export const RECORD_FAILURE = `
if ARGV[6] ~= '' then redis.call('ZREM', KEYS[3], ARGV[6]) end
local stats = redis.call('HMGET', KEYS[1], 'total', 'failed', 'consecutive_failures')
redis.call('HSET', KEYS[1], 'total', (tonumber(stats[1]) or 0) + 1, 'failed', (tonumber(stats[2]) or 0) + 1,
  'consecutive_failures', (tonumber(stats[3]) or 0) + 1, 'last_failure', ARGV[1])
local health = redis.call('HMGET', KEYS[2], 'failures', 'consecutive_failures', 'error_rate', 'samples', 'open')
local failures = (tonumber(health[2]) or 0) + 1
local alpha = tonumber(ARGV[3])
local rate = alpha + (1 - alpha) * tonumber(health[3] or '0')
local samples = (tonumber(health[4]) or 0) + 1
local fields = { 'failures', (tonumber(health[1]) or 0) + 1, 'consecutive_failures', failures, 'error_rate', tostring(rate), 'samples', samples }
local tooHighARate = ARGV[4] ~= '' and samples >= tonumber(ARGV[5]) and rate >= tonumber(ARGV[4])
local opening = health[5] ~= '1' and (failures >= tonumber(ARGV[2]) or tooHighARate)
if health[5] == '1' or opening then
  for _, item in ipairs({ 'open', 1, 'opened_at', ARGV[1] }) do table.insert(fields, item) end
end
redis.call('HSET', KEYS[2], unpack(fields))
if opening then redis.call('PUBLISH', ARGV[7], 'circuits') end
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

/**
 * KEYS: the service kind's heartbeat set, its details hash. ARGV: now, instance id, details JSON ('' to
 * keep what it announced last), cutoff. Instances silent since before the cutoff leave both: one
 * round trip per heartbeat whether or not details travel.
 */
export const HEARTBEAT = `
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
if ARGV[3] ~= '' then redis.call('HSET', KEYS[2], ARGV[2], ARGV[3]) end
local dead = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[4])
if #dead > 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[4])
  redis.call('HDEL', KEYS[2], unpack(dead))
end
`;
