--[[
  Records an article under a sequence number, once per id. A known id keeps its sequence number
  and its 90 days start again. Its fan-out is queued again only while its figures exist and say
  it never was (a publish that crashed halfway): figures gone with their TTL mean an article sent
  long ago, and queueing it would recreate them without a TTL and answer "queued" for an alert
  nobody gets. KEYS[5] is the hash of id -> seq that held every id before ids had keys of their
  own: read, its entries moved to keys as they come again, and the whole hash expires 90 days
  after the first record that finds it.

  Input:
    KEYS[1] the id's key (article:id:<id> -> seq)
    KEYS[2] the sequence counter
    KEYS[3] the article key prefix (<prefix>:article:), completed with the seq
    KEYS[4] the recent index (sorted set: seq by recorded time, ms)
    KEYS[5] the old id hash (id -> seq)
    KEYS[6..] /latest's index of each of the article's slugs in its edition (sorted sets like KEYS[4])
    ARGV[1] the article id
    ARGV[2] the article, JSON
    ARGV[3] TTL of the article and its figures, seconds
    ARGV[4] now, ISO 8601
    ARGV[5] now, ms
    ARGV[6] how long the recent index keeps an article, ms
    ARGV[7] TTL of the id, seconds
    ARGV[8] how many of the newest articles each /latest index keeps
  Output:
    {seq, isNew (1|0), queued ('1'|'0')}
]]
local existing = redis.call('GET', KEYS[1])
if not existing then
  existing = redis.call('HGET', KEYS[5], ARGV[1])
  if existing then redis.call('HDEL', KEYS[5], ARGV[1]) end
end
if redis.call('TTL', KEYS[5]) == -1 then redis.call('EXPIRE', KEYS[5], ARGV[7]) end
if existing then
  redis.call('SET', KEYS[1], existing, 'EX', ARGV[7])
  local stats = KEYS[3] .. existing .. ':stats'
  local queued = redis.call('HGET', stats, 'queued')
  if not queued then queued = redis.call('EXISTS', stats) == 1 and '0' or '1' end
  return {tonumber(existing), 0, queued}
end
local seq = redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[1], seq, 'EX', ARGV[7])
redis.call('ZADD', KEYS[4], ARGV[5], seq)
redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', tonumber(ARGV[5]) - tonumber(ARGV[6]))
for i = 6, #KEYS do
  redis.call('ZADD', KEYS[i], ARGV[5], seq)
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', tonumber(ARGV[5]) - tonumber(ARGV[6]))
  redis.call('ZREMRANGEBYRANK', KEYS[i], 0, -1 - tonumber(ARGV[8]))
  redis.call('PEXPIRE', KEYS[i], ARGV[6])
end
redis.call('SET', KEYS[3] .. seq, ARGV[2], 'EX', ARGV[3])
redis.call('HSET', KEYS[3] .. seq .. ':stats', 'publishedAt', ARGV[4], 'recipients', 0, 'done', 0, 'cursor', 0)
redis.call('EXPIRE', KEYS[3] .. seq .. ':stats', ARGV[3])
return {seq, 1, '0'}
