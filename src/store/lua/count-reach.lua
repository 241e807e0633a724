--[[
  Counts, in a few subscription shards, the chats an article for some slugs in one edition would
  reach: each active chat of that edition once, however many of the slugs it follows. The same
  rule as fan-out, counted inside Redis so no chat's settings travel to the bot.

  A shard holds the chats whose id mod 1024 is the shard; their settings buckets (id mod 4096)
  are then the shard's 4 buckets shard, shard + 1024, shard + 2048 and shard + 3072.

  Input:
    KEYS[1] the subscription widths (hash: slug -> parts per shard; absent = 1)
    then per shard: each slug's keys (its shard's set, then its parts 0..W-1 when its width W > 1),
      then the shard's 4 settings buckets (hash: chat id -> encodeChat's "lang|editions|active|…";
      an empty editions field means the chat's own language)
    ARGV[1] how many slugs
    ARGV[2] the edition: 'ru' or 'en'
    ARGV[3] subscription shards (1024)
    ARGV[4..] per slug: the slug, then W (the width the caller read)
  Output:
    {chats reached, chats following any of the slugs (active or not, any edition)};
    {-1, -1} if a W given is not the stored width (read the widths and call again)
]]
local slugs = tonumber(ARGV[1])
local edition = ARGV[2]
local shards = tonumber(ARGV[3])
-- Keys per shard: the caller named the parts of the widths it read, so those must still hold.
local sets = 0
for i = 1, slugs do
  local w = tonumber(ARGV[3 + 2 * i])
  if tonumber(redis.call('HGET', KEYS[1], ARGV[2 + 2 * i]) or '1') ~= w then return {-1, -1} end
  if w == 1 then sets = sets + 1 else sets = sets + 1 + w end
end
local per = sets + 4
local reached, followers = 0, 0
for first = 2, #KEYS, per do
  local members
  if sets == 1 then
    members = redis.call('SMEMBERS', KEYS[first])
  else
    members = redis.call('SUNION', unpack(KEYS, first, first + sets - 1))
  end
  followers = followers + #members
  for _, id in ipairs(members) do
    -- Lua's % takes the divisor's sign, like shardOf: a group's negative id finds its bucket too.
    local bucket = math.floor((tonumber(id) % (shards * 4)) / shards)
    local v = redis.call('HGET', KEYS[first + sets + bucket], id)
    if v then
      local lang, editions, active = string.match(v, '^([^|]*)|([^|]*)|([^|]*)')
      if active == '1' and (editions == 'both' or editions == edition or (editions == '' and lang == edition)) then
        reached = reached + 1
      end
    end
  end
end
return {reached, followers}
