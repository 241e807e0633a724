--[[
  Keeps the name a staff member has now, as they write to the bot. Only where they are staff:
  a reader's name is never written.

  Input:
    KEYS[1] the editors (hash: user id -> name)
    KEYS[2] the admins promoted at run time (hash: user id -> name)
    KEYS[3] the names of the admins set by ADMIN_IDS (hash: user id -> name)
    ARGV[1] user id
    ARGV[2] name
    ARGV[3] "1" when the user is an admin by ADMIN_IDS, else "0"

  Output:
    how many of the three hashes it changed (0 when the name was already kept, or for a reader)
]]
local changed = 0
for i = 1, 2 do
  local old = redis.call('HGET', KEYS[i], ARGV[1])
  if old and old ~= ARGV[2] then
    redis.call('HSET', KEYS[i], ARGV[1], ARGV[2])
    changed = changed + 1
  end
end
if ARGV[3] == '1' and redis.call('HGET', KEYS[3], ARGV[1]) ~= ARGV[2] then
  redis.call('HSET', KEYS[3], ARGV[1], ARGV[2])
  changed = changed + 1
end
return changed
