--[[
  Counts one walked stretch of the ledger for a correction or retraction, once: only from where
  the caller found the cursor, so a retried job never counts a chat twice.

  Input:
    KEYS[1] the revision's figures (hash)
    ARGV[1] the cursor the caller started from
    ARGV[2] the new cursor
    ARGV[3] now (ISO 8601) on the last stretch, else ''
    ARGV[4..] pairs of counter name and amount
  Output:
    1 when counted, 0 when another run moved the cursor first
]]
if tonumber(redis.call('HGET', KEYS[1], 'cursor') or '0') ~= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'cursor', ARGV[2])
for i = 4, #ARGV, 2 do redis.call('HINCRBY', KEYS[1], ARGV[i], ARGV[i + 1]) end
if ARGV[3] ~= '' then redis.call('HSETNX', KEYS[1], 'finishedAt', ARGV[3]) end
return 1
