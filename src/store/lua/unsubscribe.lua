--[[
  Unsubscribes a chat from a slug. The count moves only when membership really changed, so
  repeated taps keep counts exact. The chat is taken out of the shard's set and every part, so
  it goes wherever a half-done widening left it (subscribe-many.lua).

  Input:
    KEYS[1] the subscription counts (hash: slug -> subscribers)
    KEYS[2] the subscription widths (hash: slug -> parts per shard; absent = 1)
    KEYS[3] the slug's subscription shard for this chat (set of chat ids)
    KEYS[4..] its parts 0..W-1 when W > 1
    ARGV[1] chat id
    ARGV[2] slug
    ARGV[3] W, the width the caller read
  Output:
    1 unsubscribed now; 0 it was not subscribed; -1 W is not the stored width (nothing changed)
]]
if tonumber(redis.call('HGET', KEYS[2], ARGV[2]) or '1') ~= tonumber(ARGV[3]) then return -1 end
local removed = 0
for k = 3, #KEYS do removed = removed + redis.call('SREM', KEYS[k], ARGV[1]) end
if removed > 0 then
  redis.call('HINCRBY', KEYS[1], ARGV[2], -1)
  return 1
end
return 0
