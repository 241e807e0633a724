--[[
  Adds a change to an article's reaction totals, no total ever below zero (a reaction taken back
  that was never counted takes nothing). The totals live as long as the article's figures: they
  take the figures' remaining TTL, and an article whose figures are gone gets none.
  For a channel message, which reports its current counts rather than a change, the counts it
  reported are kept (replacing the last ones) so the next report adds only what changed.

  Input:
    KEYS[1] the article's totals (hash: reaction -> total)
    KEYS[2] the article's figures (hash), for their TTL
    KEYS[3] optional: the channel message's last counts (hash: reaction -> count)
    ARGV[1] TTL of the message's counts, ms
    ARGV[2] n, how many changes follow
    ARGV[3 .. 2 + 2n] pairs: reaction, change (a signed integer)
    ARGV[3 + 2n ..] with KEYS[3]: pairs reaction, count, the message's counts now
  Output:
    1 when added, 0 when the article's figures are gone
]]
local ttl = redis.call('PTTL', KEYS[2])
if ttl == -2 then
  return 0
end
local n = tonumber(ARGV[2])
for i = 1, n do
  local field, change = ARGV[1 + 2 * i], tonumber(ARGV[2 + 2 * i])
  local total = redis.call('HINCRBY', KEYS[1], field, change)
  if total <= 0 then
    redis.call('HDEL', KEYS[1], field)
  end
end
if ttl > 0 and redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('PEXPIRE', KEYS[1], ttl)
end
if KEYS[3] then
  redis.call('DEL', KEYS[3])
  for i = 3 + 2 * n, #ARGV, 2 do
    redis.call('HSET', KEYS[3], ARGV[i], ARGV[i + 1])
  end
  if redis.call('EXISTS', KEYS[3]) == 1 then
    redis.call('PEXPIRE', KEYS[3], ARGV[1])
  end
end
return 1
