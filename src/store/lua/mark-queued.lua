--[[
  Marks an article's fan-out as queued. Only figures that still exist are marked: a hash made
  here would have no TTL.

  Input:
    KEYS[1] the article's figures (hash)
    ARGV: none
  Output:
    1 when marked, 0 when the figures are gone
]]
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'queued', '1')
return 1
