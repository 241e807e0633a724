--[[
  Stops alerts to a chat by clearing its active flag alone: settings changed since the caller read
  them stay, and a chat that was forgotten (/stop) is not brought back.
  The stored value is encodeChat's "lang|editions|active|kind|zone"; the third field is the flag.

  Input:
    KEYS[1] the chat's settings bucket (hash: chat id -> encoded settings)
    ARGV[1] chat id
  Output:
    1 deactivated; 0 no such chat, or settings it cannot read
]]
local v = redis.call('HGET', KEYS[1], ARGV[1])
if not v then return 0 end
local lang, editions, _, rest = string.match(v, '^([^|]*)|([^|]*)|([^|]*)|(.*)$')
if not lang then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], lang .. '|' .. editions .. '|0|' .. rest)
return 1
