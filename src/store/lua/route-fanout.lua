--[[
  One fan-out step whose recipients include chats with reader options: like advance-fanout (the
  cursor moves only from where the caller found it, so a re-run step counts nothing twice), and
  in the same step the chats that are not sent the alert now get their outcome: "-:held" (the
  article waits in the chat's held items for its digest) or "-:<reason>" (dropped), each counted
  as done and as skipped:<held|reason>. A chat whose ledger entry exists already is left alone
  and not counted. Held items are bounded per chat: the oldest fall out and are counted.

  Input:
    KEYS[1] the article's figures (hash)
    KEYS[2] the due set (sorted set: chat id -> release ms; the earliest is kept)
    KEYS[3 + 3(i-1)] chat i's ledger shard (hash: chat id -> outcome)
    KEYS[4 + 3(i-1)] chat i's held items (sorted set: member -> held at ms)
    KEYS[5 + 3(i-1)] chat i's fell-out counter
    ARGV[1] the cursor the caller started from
    ARGV[2] the new cursor
    ARGV[3] recipients queued for sending in this step
    ARGV[4] now, ISO 8601
    ARGV[5] '1' on the last step
    ARGV[6] ledger TTL, ms
    ARGV[7] held items TTL, ms
    ARGV[8] held items cap per chat
    ARGV[9] the held member (the seq padded to 15 digits, then "b" for breaking news)
    ARGV[10] held at, ms
    ARGV[11 + 3(i-1)] chat i's id
    ARGV[12 + 3(i-1)] chat i's route: "held", or the reason it is dropped
    ARGV[13 + 3(i-1)] chat i's release time, ms ("0" unless held)
  Output:
    1 when counted, 0 when another run moved the cursor first
]]
--- @include "delivery-finished"

if tonumber(redis.call('HGET', KEYS[1], 'cursor') or '0') ~= tonumber(ARGV[1]) then return 0 end
local cap = tonumber(ARGV[8])
local counted = 0
local i = 0
while ARGV[11 + 3 * i] do
  local chat = ARGV[11 + 3 * i]
  local route = ARGV[12 + 3 * i]
  local ledger = KEYS[3 + 3 * i]
  if not redis.call('HGET', ledger, chat) then
    local stat
    if route == 'held' then
      local held = KEYS[4 + 3 * i]
      redis.call('HSET', ledger, chat, '-:held')
      redis.call('ZADD', held, ARGV[10], ARGV[9])
      local n = redis.call('ZCARD', held)
      if n > cap then
        redis.call('ZREMRANGEBYRANK', held, 0, n - cap - 1)
        redis.call('INCRBY', KEYS[5 + 3 * i], n - cap)
        redis.call('PEXPIRE', KEYS[5 + 3 * i], ARGV[7])
      end
      redis.call('PEXPIRE', held, ARGV[7])
      redis.call('ZADD', KEYS[2], 'LT', ARGV[13 + 3 * i], chat)
      stat = 'skipped:held'
    else
      redis.call('HSET', ledger, chat, '-:' .. route)
      stat = 'skipped:' .. route
    end
    redis.call('PEXPIRE', ledger, ARGV[6])
    redis.call('HINCRBY', KEYS[1], stat, 1)
    redis.call('HINCRBY', KEYS[1], 'done', 1)
    counted = counted + 1
  end
  i = i + 1
end
redis.call('HSET', KEYS[1], 'cursor', ARGV[2])
redis.call('HINCRBY', KEYS[1], 'recipients', tonumber(ARGV[3]) + counted)
if ARGV[5] == '1' then
  redis.call('HSET', KEYS[1], 'fanoutDoneAt', ARGV[4])
  if deliveryFinished(KEYS[1]) then redis.call('HSETNX', KEYS[1], 'finishedAt', ARGV[4]) end
end
return 1
