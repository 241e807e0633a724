--[[
  Records the outcomes of many sends in one call. One outcome per chat and article: the first one
  recorded wins and is counted once. Marks that are not outcomes: "=" the chat got the alert under
  another id (a migrated group), "~" a group's send is under way. The chat's own outcome replaces
  either, counted once.

  Input:
    KEYS[1], KEYS[3], ... (KEYS[2i-1]) the i-th outcome's ledger shard (hash: chat id -> outcome)
    KEYS[2], KEYS[4], ... (KEYS[2i])   the i-th outcome's article figures (hash)
    ARGV[1] ledger TTL, ms
    ARGV[2] now, ISO 8601
    then three per outcome, in the order of their keys:
      chat id
      the outcome ("<message id>@<chat id>", "p<message id>@<chat id>" for a photo,
                   "<message id>" or "p<message id>" when it landed in the chat itself,
                   "x:<reason>", "-:<reason>")
      the counter it adds to (sent, failed:<reason>, skipped:<reason>)
  Output:
    an array, one per outcome: 1 when recorded, 0 when the chat had an outcome already
]]
--- @include "delivery-finished"

local results = {}
for i = 1, #KEYS / 2 do
  local shard, stats, a = KEYS[2 * i - 1], KEYS[2 * i], 2 + (i - 1) * 3
  local current = redis.call('HGET', shard, ARGV[a + 1])
  if current and current ~= '=' and current ~= '~' then
    results[i] = 0
  else
    redis.call('HSET', shard, ARGV[a + 1], ARGV[a + 2])
    redis.call('PEXPIRE', shard, ARGV[1])
    redis.call('HINCRBY', stats, ARGV[a + 3], 1)
    redis.call('HSETNX', stats, 'firstSentAt', ARGV[2])
    redis.call('HINCRBY', stats, 'done', 1)
    if deliveryFinished(stats) then redis.call('HSETNX', stats, 'finishedAt', ARGV[2]) end
    results[i] = 1
  end
end
return results
