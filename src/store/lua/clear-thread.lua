--[[
  A forum group's topic is gone: alerts go to General from now on, unless the group chose another
  topic since. Changing nothing else, it is also the "once" of telling the group: only the first
  worker to find the topic gone clears it.
  The stored value is encodeChat's "lang|editions|active|kind|zone|thread|connector", with the
  reader's options as an eighth field when they are not the defaults.

  Input:
    KEYS[1] the chat's settings bucket (hash: chat id -> encoded settings)
    ARGV[1] chat id
    ARGV[2] the topic that is gone (its message_thread_id)
  Output:
    1 cleared; 0 the chat's alerts go elsewhere already, or there is no such chat
]]
local v = redis.call('HGET', KEYS[1], ARGV[1])
if not v then return 0 end
local fields = '^([^|]*|[^|]*|[^|]*|[^|]*|[^|]*)|([^|]*)|([^|]*)'
local head, thread, connector, options = string.match(v, fields .. '|([^|]*)$')
if not head then
  head, thread, connector = string.match(v, fields .. '$')
  options = ''
end
if not head or thread ~= ARGV[2] then return 0 end
-- With neither a connector nor options the chat goes back to the short five-field form, as encodeChat writes it.
if connector == '' and options == '' then
  redis.call('HSET', KEYS[1], ARGV[1], head)
elseif options == '' then
  redis.call('HSET', KEYS[1], ARGV[1], head .. '||' .. connector)
else
  redis.call('HSET', KEYS[1], ARGV[1], head .. '||' .. connector .. '|' .. options)
end
return 1
