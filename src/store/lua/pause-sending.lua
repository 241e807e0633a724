--[[
  After a 429: every worker holds back until now + the pause; a later pause already set stays.
  The schedule's next slot moves past the pause too.

  Input:
    KEYS[1] the pause (string, µs since the epoch)
    KEYS[2] the theoretical arrival time of the next slot (string, µs)
    ARGV[1] how long to pause, ms
  Output:
    1
]]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local untilUs = now + tonumber(ARGV[1]) * 1000
if untilUs > tonumber(redis.call('GET', KEYS[1]) or '0') then
  redis.call('SET', KEYS[1], untilUs, 'PX', tonumber(ARGV[1]) + 1000)
end
if untilUs > tonumber(redis.call('GET', KEYS[2]) or '0') then redis.call('SET', KEYS[2], untilUs, 'PX', tonumber(ARGV[1]) + 60000) end
return 1
