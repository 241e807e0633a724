--[[
  Claims a group for its own send right before it goes: free, or our own send that a crash
  interrupted ("~"), is claimed; "=" means it got the alert under its old id; anything else is
  an outcome already.

  Input:
    KEYS[1] the group's ledger shard (hash: chat id -> outcome or mark)
    ARGV[1] chat id
    ARGV[2] ledger TTL, ms
  Output:
    1 claimed, 2 reached under another id, 0 has an outcome
]]
local current = redis.call('HGET', KEYS[1], ARGV[1])
if not current or current == '~' then
  redis.call('HSET', KEYS[1], ARGV[1], '~')
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
if current == '=' then return 2 end
return 0
