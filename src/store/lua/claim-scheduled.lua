--[[
  Claims a scheduled push for sending or for cancelling: whichever comes first wins, so a push
  that started going out can no longer be cancelled, and a cancelled one never goes. A send is
  refused while its time has not come (the time may have changed since the job was delayed).

  Input:
    KEYS[1] the push (hash: push, atMs, claim)
    ARGV[1] "send" or "cancel"
    ARGV[2] now (ms)
  Output:
    "ok" when claimed now or already by the same kind, "early" for a send before its time,
    "gone" when no such push is kept, else the kind that claimed it first
]]
if redis.call('EXISTS', KEYS[1]) == 0 then return 'gone' end
local claim = redis.call('HGET', KEYS[1], 'claim')
if claim then
  if claim == ARGV[1] then return 'ok' end
  return claim
end
if ARGV[1] == 'send' and tonumber(redis.call('HGET', KEYS[1], 'atMs')) > tonumber(ARGV[2]) then
  return 'early'
end
redis.call('HSET', KEYS[1], 'claim', ARGV[1])
return 'ok'
