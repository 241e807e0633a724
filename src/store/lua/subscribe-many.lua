--[[
  Subscribes many (chat, slug) pairs at once, by the rule of subscribe.lua: a slug's count moves
  only by the members that were new.

  Input:
    KEYS[1]    the subscription counts (hash: slug -> subscribers)
    KEYS[2..]  subscription shards (sets of chat ids)
    ARGV       per shard key, in the order of KEYS[2..]: its slug, n, then n chat ids
  Output:
    how many pairs were new
]]
local added, a = 0, 1
for k = 2, #KEYS do
  local slug, n = ARGV[a], tonumber(ARGV[a + 1])
  local new = 0
  for i = a + 2, a + 1 + n do new = new + redis.call('SADD', KEYS[k], ARGV[i]) end
  if new > 0 then redis.call('HINCRBY', KEYS[1], slug, new) end
  added, a = added + new, a + 2 + n
end
return added
