--[[
  Writes a scheduled push: a new one, or a change (time, text, targets) of one not yet claimed
  for sending or cancelling.

  Input:
    KEYS[1] the push (hash: push, atMs, claim)
    KEYS[2] the scheduled pushes (sorted set: id by atMs)
    ARGV[1] the push's id
    ARGV[2] the push as JSON
    ARGV[3] when it goes (ms)
    ARGV[4] "create" or "update"
    ARGV[5] when the kept push expires at the latest (ms)
  Output:
    "ok"; "exists" for a create of a kept id; "gone" for an update of none; else the claim's kind
]]
local exists = redis.call('EXISTS', KEYS[1]) == 1
if ARGV[4] == 'create' and exists then return 'exists' end
if ARGV[4] == 'update' then
  if not exists then return 'gone' end
  local claim = redis.call('HGET', KEYS[1], 'claim')
  if claim then return claim end
end
redis.call('HSET', KEYS[1], 'push', ARGV[2], 'atMs', ARGV[3])
redis.call('PEXPIREAT', KEYS[1], ARGV[5])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
return 'ok'
