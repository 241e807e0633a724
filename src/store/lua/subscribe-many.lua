--[[
  Subscribes many (chat, slug) pairs at once. A slug's count moves only by the members that were
  new, so repeated taps and re-imports keep counts exact.

  A slug of width 1 keeps shard k's followers in one set; past `widen at` followers per shard
  part on average its width doubles, and shard k is split into parts k:0..k:width-1 (a chat goes
  to part floor(id / shards) mod width), so that no set outgrows Redis's stock
  set-max-intset-entries and turns from an intset (4–8 bytes a member) into a hashtable (~50).
  A shard's members move to their parts the first time the shard is written at the new width,
  or by the sweep the caller runs after a widening (groups with no chats); until then readers
  take the union of the shard's set and all its parts, so nobody is missed while a widening is
  half done.

  Input:
    KEYS[1]    the subscription counts (hash: slug -> subscribers)
    KEYS[2]    the subscription widths (hash: slug -> parts per shard; absent = 1)
    then per group (one slug, one shard), W the width in ARGV:
      W = 1: the shard's set;
      W > 1: the slug's placed bitmap (bit k = shard k is laid out for the current width), the
        shard's set, then its parts 0..W-1
    ARGV[1]    subscription shards (1024)
    ARGV[2]    widen at: followers per shard part, on average, past which the width doubles
    then per group, in the order of its keys: slug, W (the width the caller read), shard, n, then n chat ids
  Output:
    -1 if a W given is not the stored width (nothing changed: read the widths and call again);
    else how many pairs were new, or {that many, then each slug whose width doubled} if any did
]]
local shards, widenAt = tonumber(ARGV[1]), tonumber(ARGV[2])

-- The caller's keys name the parts of the width it read; a wider slug has parts it did not name.
local width, given = {}, {}
local a = 3
while a <= #ARGV do
  local slug, w = ARGV[a], tonumber(ARGV[a + 1])
  if not given[slug] then
    given[slug] = w
    width[slug] = tonumber(redis.call('HGET', KEYS[2], slug) or '1')
  end
  if width[slug] ~= w or given[slug] ~= w then return -1 end
  a = a + 4 + tonumber(ARGV[a + 3])
end

-- Moves every member of a shard (its set and parts) to its part for width w; k is the group's
-- first key. Rebuilt rather than moved in place: a set that once became a hashtable stays one.
local function place(k, shard, w)
  if w == 1 or redis.call('GETBIT', KEYS[k], shard) == 1 then return end
  local members = redis.call('SUNION', unpack(KEYS, k + 1, k + 1 + w))
  redis.call('DEL', unpack(KEYS, k + 1, k + 1 + w))
  local parts = {}
  for _, id in ipairs(members) do
    local p = math.floor(tonumber(id) / shards) % w
    local list = parts[p]
    if not list then
      list = {}
      parts[p] = list
    end
    list[#list + 1] = id
  end
  for p, list in pairs(parts) do
    for i = 1, #list, 1000 do
      redis.call('SADD', KEYS[k + 2 + p], unpack(list, i, math.min(i + 999, #list)))
    end
  end
  redis.call('SETBIT', KEYS[k], shard, 1)
end

local added, widened = 0, {}
local k = 3
a = 3
while a <= #ARGV do
  local slug, shard, n = ARGV[a], tonumber(ARGV[a + 2]), tonumber(ARGV[a + 3])
  local w = given[slug]
  -- After a widening in this call the shard's members wait for the sweep: placing them now, at
  -- the width whose parts the keys name, would mark the shard laid out for the wrong width.
  if width[slug] == w then place(k, shard, w) end
  local set = k
  if w > 1 then set = k + 1 end
  local new = 0
  for i = a + 4, a + 3 + n do
    local target = KEYS[set]
    if w > 1 then target = KEYS[k + 2 + math.floor(tonumber(ARGV[i]) / shards) % w] end
    new = new + redis.call('SADD', target, ARGV[i])
  end
  if new > 0 then
    local count = redis.call('HINCRBY', KEYS[1], slug, new)
    added = added + new
    if width[slug] == w and count > widenAt * shards * w then
      width[slug] = w * 2
      redis.call('HSET', KEYS[2], slug, w * 2)
      if w > 1 then redis.call('DEL', KEYS[k]) end
      widened[#widened + 1] = slug
    end
  end
  if w > 1 then k = k + 2 + w else k = k + 1 end
  a = a + 4 + n
end
-- A plain integer unless something widened: the reply of the common call stays cheap.
if #widened == 0 then return added end
return {added, unpack(widened)}
