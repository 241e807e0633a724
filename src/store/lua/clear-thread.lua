--[[
  A forum group's topic is gone: alerts go to General from now on, unless the group chose another
  topic since. Changing nothing else, it is also the "once" of telling the group: only the first
  worker to find the topic gone clears it.
  The stored value is encodeChat's "lang|editions|active|kind|zone|thread|connector".

  Input:
    KEYS[1] the chat's settings bucket (hash: chat id -> encoded settings)
    ARGV[1] chat id
    ARGV[2] the topic that is gone (its message_thread_id)
  Output:
    1 cleared; 0 the chat's alerts go elsewhere already, or there is no such chat
]]
local v = redis.call('HGET', KEYS[1], ARGV[1])
if not v then return 0 end
local head, thread, connector = string.match(v, '^([^|]*|[^|]*|[^|]*|[^|]*|[^|]*)|([^|]*)|([^|]*)$')
if not head or thread ~= ARGV[2] then return 0 end
-- Without a connector too the chat goes back to the short five-field form, as encodeChat writes it.
if connector == '' then
  redis.call('HSET', KEYS[1], ARGV[1], head)
else
  redis.call('HSET', KEYS[1], ARGV[1], head .. '||' .. connector)
end
return 1
