--[[
  Finds which article a message in a chat was the alert of, among the articles of the last 48 h:
  it reads the chat's entry in each article's ledger, newest article first, and stops at the one
  whose delivered message id is the message. Nothing is kept for this: the ledger already maps
  chat -> message id. An alert that landed in another chat ("@<chat id>", a migrated group), one
  deleted by a retraction ("d:") and a failure or a mark are no match.

  Input:
    KEYS[1] .. KEYS[n] the chat's ledger shard of each article, newest article first
    ARGV[1] the chat id (the ledger's field)
    ARGV[2] the message id
  Output:
    the position (1-based) in KEYS of the article whose alert the message is, or 0
]]
for i = 1, #KEYS do
  local entry = redis.call('HGET', KEYS[i], ARGV[1])
  if entry and string.match(entry, '^p?(%d+)$') == ARGV[2] then
    return i
  end
end
return 0
