--[[
  Reads the ledger entries of a batch of chats for one article in one call.

  Input:
    KEYS[1] .. KEYS[n] each chat's ledger shard (hash: chat id -> outcome or mark)
    ARGV[1] .. ARGV[n] each chat's id, in the same order
  Output:
    an array, one per chat: its entry, or '' when it has none
]]
local entries = {}
for i = 1, #KEYS do
  entries[i] = redis.call('HGET', KEYS[i], ARGV[i]) or ''
end
return entries
