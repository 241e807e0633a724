--[[
  Moves the fan-out cursor only from where the caller found it, so a re-run step counts nothing
  twice; on the last step notes that fan-out is done, and the delivery finished if every
  recipient has an outcome already.

  Input:
    KEYS[1] the article's figures (hash)
    ARGV[1] the cursor the caller started from
    ARGV[2] the new cursor
    ARGV[3] recipients found in this step
    ARGV[4] now, ISO 8601
    ARGV[5] '1' on the last step
  Output:
    1 when counted, 0 when another run moved the cursor first
]]
if tonumber(redis.call('HGET', KEYS[1], 'cursor') or '0') ~= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'cursor', ARGV[2])
redis.call('HINCRBY', KEYS[1], 'recipients', ARGV[3])
if ARGV[5] == '1' then
  redis.call('HSET', KEYS[1], 'fanoutDoneAt', ARGV[4])
  if tonumber(redis.call('HGET', KEYS[1], 'done')) >= tonumber(redis.call('HGET', KEYS[1], 'recipients')) then
    redis.call('HSETNX', KEYS[1], 'finishedAt', ARGV[4])
  end
end
return 1
