/*
 * The steps of `takeTokens` and `settleTokens` (contracts/control-plane/token-bucket.ts) as Lua
 * scripts, so the check and the count of every window of every rule — requests and tokens — happen
 * atomically across all gateways, and so does a settlement.
 *
 * KEYS: one hash per bucket (`u`: level in units, `at`: the tick of that level).
 * Numbers are written with '%.0f': Lua's default conversion keeps only 14 significant digits. Levels
 * are whole numbers below 2^53, so the integer replies Redis makes of them are exact.
 */

/**
 * `refilled` of token-bucket.ts: the level (`level`, `at`) of bucket KEYS[i] at tick `tick`, refilled
 * by `limit` units per tick since it was written, never above `full`; a bucket never written is full.
 * Shared by both scripts, which must bring a bucket up to date the same way.
 */
const REFILLED_LEVEL = `  local state = redis.call('HMGET', KEYS[i], 'u', 'at')
  local level, at = full, tick
  if state[1] and state[2] then
    level, at = tonumber(state[1]), tonumber(state[2])
    if tick > at then
      level = math.min(full, level + (tick - at) * limit)
      at = tick
    end
  end
`;

/**
 * Takes what a request takes from every bucket, or nothing.
 * ARGV[1]: now (epoch ms); ARGV[2]: the token estimate; then per bucket: limit, window ms, tick ms,
 * capacity, unit (`r` requests: costs 1; `t` tokens: costs the estimate).
 * Returns { refusing bucket (1-based, 0 when admitted), wait ms (-1: never fits), level of each bucket }.
 * A refusal writes nothing; an admission writes every bucket and lets it expire once it would be full
 * again (an absent bucket is a full one).
 */
export const TAKE_TOKENS = `
local now = tonumber(ARGV[1])
local tokens = tonumber(ARGV[2])
local count = #KEYS
local limits, tickMss, pers, fulls, costs, units, ats = {}, {}, {}, {}, {}, {}, {}
local refused, longest = 0, 0
for i = 1, count do
  local base = 5 * i - 2
  local limit = tonumber(ARGV[base])
  local tickMs = tonumber(ARGV[base + 2])
  local per = tonumber(ARGV[base + 1]) / tickMs
  local full = tonumber(ARGV[base + 3]) * per
  local cost = 1
  if ARGV[base + 4] == 't' then cost = tokens end
  local tick = math.floor(now / tickMs)
  limits[i], tickMss[i], pers[i], fulls[i], costs[i] = limit, tickMs, per, full, cost
${REFILLED_LEVEL}  units[i], ats[i] = level, at
  local needed = cost * per
  if level < needed then
    local wait = -1
    if needed <= full then
      wait = math.max(0, (tick + math.ceil((needed - level) / limit)) * tickMs - now)
    end
    if refused == 0 or (longest >= 0 and (wait < 0 or wait > longest)) then
      refused, longest = i, wait
    end
  end
end
if refused > 0 then
  return { refused, longest, unpack(units) }
end
for i = 1, count do
  local level = units[i] - costs[i] * pers[i]
  units[i] = level
  redis.call('HSET', KEYS[i], 'u', string.format('%.0f', level), 'at', string.format('%.0f', ats[i]))
  redis.call('PEXPIRE', KEYS[i], string.format('%.0f', math.ceil((fulls[i] - level) / limits[i]) * tickMss[i] + 1000))
end
return { 0, 0, unpack(units) }
`;

/**
 * Adds (refund) or takes (overrun) tokens to or from token buckets once a request's usage is known.
 * ARGV[1]: now (epoch ms); ARGV[2]: tokens (> 0 refund, < 0 overrun); then per bucket: limit, window
 * ms, tick ms, capacity. The change is clamped to one capacity and the level to [-full, full]; a
 * bucket that ends full is deleted (absent = full). Returns the number of buckets.
 */
export const SETTLE_TOKENS = `
local now = tonumber(ARGV[1])
local tokens = tonumber(ARGV[2])
for i = 1, #KEYS do
  local base = 4 * i - 1
  local limit = tonumber(ARGV[base])
  local tickMs = tonumber(ARGV[base + 2])
  local per = tonumber(ARGV[base + 1]) / tickMs
  local capacity = tonumber(ARGV[base + 3])
  local full = capacity * per
  local tick = math.floor(now / tickMs)
${REFILLED_LEVEL}  level = math.max(-full, math.min(full, level + math.max(-capacity, math.min(capacity, tokens)) * per))
  if level >= full then
    redis.call('DEL', KEYS[i])
  else
    redis.call('HSET', KEYS[i], 'u', string.format('%.0f', level), 'at', string.format('%.0f', at))
    redis.call('PEXPIRE', KEYS[i], string.format('%.0f', math.ceil((full - level) / limit) * tickMs + 1000))
  end
end
return #KEYS
`;
