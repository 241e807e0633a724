--[[
  One outcome per chat and article: the first one recorded wins and is counted once. Marks that
  are not outcomes: "=" the chat got the alert under another id (a migrated group), "~" a
  group's send is under way. The chat's own outcome replaces either, counted once.

  Input:
    KEYS[1] the chat's ledger shard (hash: chat id -> outcome)
    KEYS[2] the article's figures (hash)
    ARGV[1] chat id
    ARGV[2] the outcome ("<message id>@<chat id>", "p<message id>@<chat id>" for a photo,
            "x:<reason>", "-:<reason>")
    ARGV[3] the counter it adds to (sent, failed:<reason>, skipped:<reason>)
    ARGV[4] ledger TTL, ms
    ARGV[5] now, ISO 8601
  Output:
    1 when recorded, 0 when the chat had an outcome already
]]
local current = redis.call('HGET', KEYS[1], ARGV[1])
if current and current ~= '=' and current ~= '~' then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
redis.call('HINCRBY', KEYS[2], ARGV[3], 1)
redis.call('HSETNX', KEYS[2], 'firstSentAt', ARGV[5])
local done = redis.call('HINCRBY', KEYS[2], 'done', 1)
if redis.call('HEXISTS', KEYS[2], 'fanoutDoneAt') == 1 and done >= tonumber(redis.call('HGET', KEYS[2], 'recipients')) then
  redis.call('HSETNX', KEYS[2], 'finishedAt', ARGV[5])
end
return 1
