/**
 * Takes one token from every bucket of a request, or from none: the steps of `takeTokens`
 * (contracts/control-plane/token-bucket.ts) in one Lua script, so the check and the count of every
 * window of every rule happen atomically across all gateways.
 *
 * KEYS: one hash per bucket (`u`: level in units, `at`: epoch ms of that level).
 * ARGV[1]: now (epoch ms); then per bucket: limit, window ms, capacity.
 * Returns { allowed (0/1), binding bucket (1-based), remaining, reset ms, retry-after ms }.
 *
 * Numbers are written with '%.0f': Lua's default conversion keeps only 14 significant digits.
 * A refusal writes nothing; an admission writes every bucket and lets it expire once it would be full
 * again (an absent bucket is a full one).
 */
export const TAKE_TOKENS = `
local now = tonumber(ARGV[1])
local count = #KEYS
local limits, windows, fulls, units, ats = {}, {}, {}, {}, {}
local denied, longest = 0, 0
for i = 1, count do
  local limit = tonumber(ARGV[3 * i - 1])
  local window = tonumber(ARGV[3 * i])
  local full = tonumber(ARGV[3 * i + 1]) * window
  limits[i], windows[i], fulls[i] = limit, window, full
  local state = redis.call('HMGET', KEYS[i], 'u', 'at')
  local level, at = full, now
  if state[1] and state[2] then
    level, at = tonumber(state[1]), tonumber(state[2])
    if now > at then
      level = math.min(full, level + (now - at) * limit)
      at = now
    end
  end
  units[i], ats[i] = level, at
  if level < window then
    local wait = math.ceil((window - level) / limit)
    if denied == 0 or wait > longest then
      denied, longest = i, wait
    end
  end
end
if denied > 0 then
  return { 0, denied, 0, math.ceil((fulls[denied] - units[denied]) / limits[denied]), longest }
end
local binding, fewest = 1, -1
for i = 1, count do
  local level = units[i] - windows[i]
  units[i] = level
  local untilFull = math.ceil((fulls[i] - level) / limits[i])
  redis.call('HSET', KEYS[i], 'u', string.format('%.0f', level), 'at', string.format('%.0f', ats[i]))
  redis.call('PEXPIRE', KEYS[i], string.format('%.0f', untilFull + 1000))
  local remaining = math.floor(level / windows[i])
  if fewest < 0 or remaining < fewest then
    binding, fewest = i, remaining
  end
end
return { 1, binding, fewest, math.ceil((fulls[binding] - units[binding]) / limits[binding]), 0 }
`;
