--[[
  Reserves sending slots for many sends in one call: the next free slots of the schedule every
  worker process shares (GCRA, on Redis's clock), at most a horizon ahead, together with each
  chat's own gap. The 429 pause is checked on the same call. A send made for a delivery job is
  fenced by the job's BullMQ lock: once the lock is no longer the caller's (the worker stalled
  and another took the job over), its sends get no slot. Times are in microseconds since the
  epoch unless named otherwise.

  Interactive sends (a status edit, a reply to a tap) take their slots on the same schedule, so
  together with bulk sends they never exceed the rate; but a bulk send gets a slot only while
  the schedule is reserved less than the horizon ahead, and an interactive one also past it,
  while the interactive lane has room. The lane is a schedule of its own at a share of the rate
  (its interval is longer), with a horizon of its own: a few interactive sends at once go
  straight behind what bulk sends reserved. While bulk sends wait for the horizon (a bulk send
  was refused for it lately: the marker key), an interactive send gets a slot only from the
  lane, so interactive sends never take more than the lane's share from them; otherwise it may
  also take room under the horizon as a bulk send would. Each interactive send, by whichever
  rule it got its slot, uses up its interval of the lane.

  Input:
    KEYS[1] the theoretical arrival time of the next slot (string, µs)
    KEYS[2] the pause after a 429: no slot before it (string, µs)
    KEYS[3] the theoretical arrival time of the interactive lane's next slot (string, µs)
    KEYS[4] the marker that bulk sends wait for the horizon (set for ARGV[5] ms after a refusal)
    KEYS[5 .. 4+L] the BullMQ locks of the jobs the sends are for (string: the holder's token)
    KEYS[5+L .. ] one per send: the chat's next allowed send (string, µs)
    ARGV[1] interval between slots, µs (0: no global limit)
    ARGV[2] horizon: how far ahead a bulk send may reserve a slot, µs
    ARGV[3] the interactive lane's interval, µs
    ARGV[4] the interactive lane's horizon, µs
    ARGV[5] how long the marker lasts after a bulk send was refused for the horizon, ms
    ARGV[6] L, the number of lock keys
    ARGV[7 .. 6+L] the caller's token of each lock
    then four per send, in the order of their keys:
      the send's lock (1..L; 0: not fenced)
      the chat's gap, ms
      '1' when the send missed its last slot: the chat's gap was taken by it already
      '1' for an interactive send, '0' for a bulk one
  Output:
    an array: one reply per send, in order, then one per lock: its time to live, ms (0 when the
    lock is not the caller's), then how long until the horizon has room again, ms (0: it has
    room now). A send's reply is
      > 0: slot reserved, send in (reply - 1) ms (so 1 means now);
      < 0: nothing reserved, ask again in -reply ms (paused, the chat's gap, the horizon is full);
      0: refused, the send's lock is not the caller's any more.
]]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local locks = tonumber(ARGV[6])
local lockTtl = {}
for i = 1, locks do
  if redis.call('GET', KEYS[4 + i]) == ARGV[6 + i] then
    lockTtl[i] = math.max(1, redis.call('PTTL', KEYS[4 + i]))
  else
    lockTtl[i] = 0
  end
end
local pause = tonumber(redis.call('GET', KEYS[2]) or '0')
local pausedFor = 0
if now < pause then pausedFor = math.ceil((pause - now) / 1000) end
local interval = tonumber(ARGV[1])
local horizon = tonumber(ARGV[2])
local laneInterval = tonumber(ARGV[3])
local laneHorizon = tonumber(ARGV[4])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
local laneTat = tonumber(redis.call('GET', KEYS[3]) or '0')
if laneTat < now then laneTat = now end
local bulkWaits = redis.call('EXISTS', KEYS[4]) == 1
local bulkRefused = false
local reserved = false
local laneReserved = false
local replies = {}
local sends = #KEYS - 4 - locks
for i = 1, sends do
  local a = 6 + locks + (i - 1) * 4
  local lock = tonumber(ARGV[a + 1])
  local interactive = ARGV[a + 4] == '1'
  local chatKey = KEYS[4 + locks + i]
  if lock > 0 and lockTtl[lock] == 0 then
    replies[i] = 0
  elseif pausedFor > 0 then
    replies[i] = -pausedFor
  else
    local chatNext = tonumber(redis.call('GET', chatKey) or '0')
    -- How long until the schedule has room for this send: 0 or less when it has now.
    local wait = tat - now - horizon
    if interactive then
      local laneWait = laneTat - now - laneHorizon
      if bulkWaits or laneWait < wait then wait = laneWait end
    end
    if ARGV[a + 3] ~= '1' and now < chatNext then
      replies[i] = -math.ceil((chatNext - now) / 1000)
    elseif wait > 0 then
      replies[i] = -math.max(1, math.floor(wait / 1000))
      if not interactive then
        bulkWaits = true
        bulkRefused = true
      end
    else
      local gap = tonumber(ARGV[a + 2])
      redis.call('SET', chatKey, tat + gap * 1000, 'PX', math.ceil(gap + (tat - now) / 1000))
      replies[i] = math.floor((tat - now) / 1000) + 1
      tat = tat + interval
      reserved = true
      if interactive then
        laneTat = laneTat + laneInterval
        laneReserved = true
      end
    end
  end
end
if reserved and interval > 0 then redis.call('SET', KEYS[1], tat, 'PX', 60000) end
if laneReserved and laneInterval > 0 then redis.call('SET', KEYS[3], laneTat, 'PX', 60000) end
if bulkRefused then redis.call('SET', KEYS[4], '1', 'PX', ARGV[5]) end
for i = 1, locks do replies[sends + i] = lockTtl[i] end
local full = 0
if tat - now > horizon then full = math.max(1, math.floor((tat - now - horizon) / 1000)) end
replies[sends + locks + 1] = full
return replies
