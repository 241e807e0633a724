--[[
  Forgets a chat's pin record if it is still of this message (a newer pin may have replaced it).

  Input:
    KEYS[1] the chat's pin record (string "<message id>.<seq>")
    ARGV[1] the message's id
  Output:
    1 forgotten; 0 the record is of another message, or gone
]]
local v = redis.call('GET', KEYS[1])
if not v or string.match(v, '^(%d+)%.') ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
return 1
