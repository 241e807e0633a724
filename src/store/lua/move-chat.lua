--[[
  A group became a supergroup: its settings follow it unless the new chat has its own already,
  and the old id forwards to the new one.

  Input:
    KEYS[1] the old id's settings bucket (hash: chat id -> encoded settings)
    KEYS[2] the new id's settings bucket
    KEYS[3] the moves hash (old chat id -> new chat id)
    ARGV[1] old chat id
    ARGV[2] new chat id
  Output:
    1
]]
local v = redis.call('HGET', KEYS[1], ARGV[1])
if v then
  redis.call('HSETNX', KEYS[2], ARGV[2], v)
  redis.call('HDEL', KEYS[1], ARGV[1])
end
redis.call('HSET', KEYS[3], ARGV[1], ARGV[2])
return 1
