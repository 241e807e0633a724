--[[
  Reserves the next free sending slot of the schedule every worker process shares (GCRA, on
  Redis's clock), at most a horizon ahead, together with the chat's own gap. Times are in
  microseconds since the epoch.

  Input:
    KEYS[1] the theoretical arrival time of the next slot (string, µs)
    KEYS[2] the pause after a 429: no slot before it (string, µs)
    KEYS[3] the chat's next allowed send (string, µs)
    ARGV[1] interval between slots, µs (0: no global limit)
    ARGV[2] horizon: how far ahead a slot may be reserved, µs
    ARGV[3] the chat's gap, ms
    ARGV[4] '1' when the caller missed its last slot: the chat's gap was taken by it already
  Output:
    > 0: slot reserved, send in (reply - 1) ms (so 1 means now);
    < 0: nothing reserved, ask again in -reply ms (paused, the chat's gap, or the horizon is full)
]]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local pause = tonumber(redis.call('GET', KEYS[2]) or '0')
if now < pause then return -math.ceil((pause - now) / 1000) end
local chatNext = tonumber(redis.call('GET', KEYS[3]) or '0')
if ARGV[4] ~= '1' and now < chatNext then return -math.ceil((chatNext - now) / 1000) end
local interval = tonumber(ARGV[1])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
if tat - now > tonumber(ARGV[2]) then return -math.max(1, math.floor((tat - now - tonumber(ARGV[2])) / 1000)) end
if interval > 0 then redis.call('SET', KEYS[1], tat + interval, 'PX', 60000) end
local gap = tonumber(ARGV[3])
redis.call('SET', KEYS[3], tat + gap * 1000, 'PX', math.ceil(gap + (tat - now) / 1000))
return math.floor((tat - now) / 1000) + 1
