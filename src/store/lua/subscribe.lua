--[[
  Subscribes a chat to a slug. The count moves only when membership really changed, so repeated
  taps keep counts exact.

  Input:
    KEYS[1] the slug's subscription shard for this chat (set of chat ids)
    KEYS[2] the subscription counts (hash: slug -> subscribers)
    ARGV[1] chat id
    ARGV[2] slug
  Output:
    1 subscribed now; 0 it already was
]]
if redis.call('SADD', KEYS[1], ARGV[1]) == 1 then redis.call('HINCRBY', KEYS[2], ARGV[2], 1) return 1 end
return 0
