--[[
  Claims a chat's held items for one digest job before anything is sent: they move into the
  chat's in-flight hash under the job's id, so a crash loses none of them and a retried job (or
  a later one for the same chat) resumes the same digest from what the hash records as sent.
  With nothing held and nothing in flight, the chat leaves the due set.

  Input:
    KEYS[1] the chat's held items (sorted set: member -> held at ms)
    KEYS[2] the chat's fell-out counter
    KEYS[3] the chat's digest in flight (hash)
    KEYS[4] the due set (sorted set: chat id -> release ms)
    ARGV[1] chat id
    ARGV[2] the job id taking it
    ARGV[3] in-flight TTL, ms
  Output:
    the in-flight hash as a flat field/value list (items: "member:heldAt,..."), or {} when
    there is nothing to send
]]
if redis.call('EXISTS', KEYS[3]) == 1 then
  redis.call('HSET', KEYS[3], 'job', ARGV[2])
  return redis.call('HGETALL', KEYS[3])
end
local held = redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES')
if #held == 0 then
  redis.call('ZREM', KEYS[4], ARGV[1])
  return {}
end
local items = {}
for i = 1, #held, 2 do items[#items + 1] = held[i] .. ':' .. held[i + 1] end
redis.call('HSET', KEYS[3], 'job', ARGV[2], 'items', table.concat(items, ','),
  'fellOut', redis.call('GET', KEYS[2]) or '0')
redis.call('PEXPIRE', KEYS[3], ARGV[3])
redis.call('DEL', KEYS[1], KEYS[2])
redis.call('ZREM', KEYS[4], ARGV[1])
return redis.call('HGETALL', KEYS[3])
