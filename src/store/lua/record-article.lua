--[[
  Records an article under a sequence number, once per id. A known id keeps its sequence number
  and its 90 days start again. Its fan-out is queued again only while its figures exist and say
  it never was (a publish that crashed halfway): figures gone with their TTL mean an article sent
  long ago, and queueing it would recreate them without a TTL and answer "queued" for an alert
  nobody gets. KEYS[4] is the hash of id -> seq that held every id before ids had keys of their
  own: read, its entries moved to keys as they come again, and the whole hash expires 90 days
  after the first record that finds it.

  Every key is passed in (none is built here, so all stay in the prefix's Cluster slot): the
  caller reads the id's seq and the counter first and names the keys of that seq and of the next
  one. When another record changed either since, nothing is written and the caller tries again.

  Input:
    KEYS[1] the id's key (article:id:<id> -> seq)
    KEYS[2] the sequence counter
    KEYS[3] the recent index (sorted set: seq by recorded time, ms)
    KEYS[4] the old id hash (id -> seq)
    KEYS[5] the article key of the next seq (ARGV[10])
    KEYS[6] the figures of the next seq (hash)
    KEYS[7] the figures of the seq the caller found for the id (ARGV[9]); else KEYS[6] again
    KEYS[8..] /latest's index of each of the article's slugs in its edition (sorted sets like KEYS[3])
    ARGV[1] the article id
    ARGV[2] the article, JSON
    ARGV[3] TTL of the article and its figures, seconds
    ARGV[4] now, ISO 8601
    ARGV[5] now, ms
    ARGV[6] how long the recent index keeps an article, ms
    ARGV[7] TTL of the id, seconds
    ARGV[8] how many of the newest articles each /latest index keeps
    ARGV[9] the seq the caller found for the id, or '' for none
    ARGV[10] the next seq as the caller found the counter (its value + 1)
  Output:
    {seq, isNew (1|0), queued ('1'|'0')}, or {0, 0, '0'}: the caller's reading is out of date
]]
local existing = redis.call('GET', KEYS[1])
local inHash = false
if not existing then
  existing = redis.call('HGET', KEYS[4], ARGV[1])
  inHash = existing ~= false
end
if (existing or '') ~= ARGV[9] then return {0, 0, '0'} end
if not existing and tonumber(redis.call('GET', KEYS[2]) or '0') + 1 ~= tonumber(ARGV[10]) then
  return {0, 0, '0'}
end
if inHash then redis.call('HDEL', KEYS[4], ARGV[1]) end
if redis.call('TTL', KEYS[4]) == -1 then redis.call('EXPIRE', KEYS[4], ARGV[7]) end
if existing then
  redis.call('SET', KEYS[1], existing, 'EX', ARGV[7])
  local queued = redis.call('HGET', KEYS[7], 'queued')
  if not queued then queued = redis.call('EXISTS', KEYS[7]) == 1 and '0' or '1' end
  return {tonumber(existing), 0, queued}
end
local seq = redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[1], seq, 'EX', ARGV[7])
redis.call('ZADD', KEYS[3], ARGV[5], seq)
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', tonumber(ARGV[5]) - tonumber(ARGV[6]))
for i = 8, #KEYS do
  redis.call('ZADD', KEYS[i], ARGV[5], seq)
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', tonumber(ARGV[5]) - tonumber(ARGV[6]))
  redis.call('ZREMRANGEBYRANK', KEYS[i], 0, -1 - tonumber(ARGV[8]))
  redis.call('PEXPIRE', KEYS[i], ARGV[6])
end
redis.call('SET', KEYS[5], ARGV[2], 'EX', ARGV[3])
redis.call('HSET', KEYS[6], 'publishedAt', ARGV[4], 'recipients', 0, 'done', 0, 'cursor', 0)
redis.call('EXPIRE', KEYS[6], ARGV[3])
return {seq, 1, '0'}
