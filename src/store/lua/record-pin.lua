--[[
  Records the breaking alert just pinned in a chat as the bot's pin there, unless the pin
  recorded is of a newer article (a later breaking alert that got pinned first): the one pinned
  last in the chat's order of articles stays the only one.

  Input:
    KEYS[1] the chat's pin record (string "<message id>.<seq>")
    ARGV[1] the pinned message's id
    ARGV[2] its article's seq
    ARGV[3] how long the record is kept (ms)
  Output:
    { 1, previous record or "" } recorded; { 0, the newer record } not recorded
]]
local old = redis.call('GET', KEYS[1])
if old then
  local oldSeq = tonumber(string.match(old, '%.(%d+)$'))
  if oldSeq and oldSeq > tonumber(ARGV[2]) then return { 0, old } end
end
redis.call('SET', KEYS[1], ARGV[1] .. '.' .. ARGV[2], 'PX', ARGV[3])
return { 1, old or '' }
