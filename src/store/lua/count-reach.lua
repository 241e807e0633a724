--[[
  Counts, in a few subscription shards, the chats an article for some slugs in one edition would
  reach: each active chat of that edition once, however many of the slugs it follows. The same
  rule as fan-out, counted inside Redis so no chat's settings travel to the bot.

  A shard holds the chats whose id mod 1024 is the shard; their settings buckets (id mod 4096)
  are then the shard's 4 buckets shard, shard + 1024, shard + 2048 and shard + 3072.

  Input:
    KEYS[1] to KEYS[n] the first shard's set of each slug (n = ARGV[1] slugs), then KEYS[n+1] to
      KEYS[n+4] its 4 settings buckets (hash: chat id -> encodeChat's "lang|editions|active|…";
      an empty editions field means the chat's own language); then the same for each further shard
    ARGV[1] how many slugs
    ARGV[2] the edition: 'ru' or 'en'
    ARGV[3] subscription shards (1024)
  Output:
    {chats reached, chats following any of the slugs (active or not, any edition)}
]]
local slugs = tonumber(ARGV[1])
local edition = ARGV[2]
local shards = tonumber(ARGV[3])
local per = slugs + 4
local reached, followers = 0, 0
for first = 1, #KEYS, per do
  local members
  if slugs == 1 then
    members = redis.call('SMEMBERS', KEYS[first])
  else
    members = redis.call('SUNION', unpack(KEYS, first, first + slugs - 1))
  end
  followers = followers + #members
  for _, id in ipairs(members) do
    -- Lua's % takes the divisor's sign, like shardOf: a group's negative id finds its bucket too.
    local bucket = math.floor((tonumber(id) % (shards * 4)) / shards)
    local v = redis.call('HGET', KEYS[first + slugs + bucket], id)
    if v then
      local lang, editions, active = string.match(v, '^([^|]*)|([^|]*)|([^|]*)')
      if active == '1' and (editions == 'both' or editions == edition or (editions == '' and lang == edition)) then
        reached = reached + 1
      end
    end
  end
end
return {reached, followers}
