--[[
  Sets anew when a chat's held items are due, after its reader changed the options that decide it
  (mode, digest times, quiet hours, pause, time zone): later or sooner than before, whatever the
  old options had set. A chat with nothing held has no entry and gets none (its digest in flight,
  already claimed, has left the due set).

  Input:
    KEYS[1] the due set (sorted set: chat id -> release ms)
    KEYS[2] the chat's held items (sorted set: the seq padded to 15 digits, "b" after it if breaking)
    ARGV[1] chat id
    ARGV[2] when its held articles are due under the new options, ms
    ARGV[3] when they are due if a breaking one is among them, ms
  Output:
    the new due time (ms), or false when nothing is held
]]
if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then return false end
local due = tonumber(ARGV[2])
local breaking = tonumber(ARGV[3])
if breaking < due then
  for _, member in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do
    if string.sub(member, -1) == 'b' then
      due = breaking
      break
    end
  end
end
redis.call('ZADD', KEYS[1], 'XX', due, ARGV[1])
return due
