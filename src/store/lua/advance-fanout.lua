--[[
  Moves the fan-out cursor only from where the caller found it, so a re-run step counts nothing
  twice; on the last step notes that fan-out is done, and the delivery finished if every
  recipient has an outcome already. After a cancel, the step queues nothing: the chats it would
  have queued are counted as recipients not sent the alert (done, skipped:cancelled), so the
  figures still add up to the whole audience.

  Input:
    KEYS[1] the article's figures (hash)
    ARGV[1] the cursor the caller started from
    ARGV[2] the new cursor
    ARGV[3] recipients found in this step
    ARGV[4] now, ISO 8601
    ARGV[5] '1' on the last step
    ARGV[6] recipients of this step not sent the alert because it was cancelled (optional, 0)
  Output:
    1 when counted, 0 when another run moved the cursor first
]]
--- @include "delivery-finished"

if tonumber(redis.call('HGET', KEYS[1], 'cursor') or '0') ~= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'cursor', ARGV[2])
redis.call('HINCRBY', KEYS[1], 'recipients', ARGV[3])
local cancelled = tonumber(ARGV[6] or '0')
if cancelled > 0 then
  redis.call('HINCRBY', KEYS[1], 'recipients', cancelled)
  redis.call('HINCRBY', KEYS[1], 'done', cancelled)
  redis.call('HINCRBY', KEYS[1], 'skipped:cancelled', cancelled)
end
if ARGV[5] == '1' then
  redis.call('HSET', KEYS[1], 'fanoutDoneAt', ARGV[4])
  if deliveryFinished(KEYS[1]) then redis.call('HSETNX', KEYS[1], 'finishedAt', ARGV[4]) end
end
return 1
