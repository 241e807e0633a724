--[[
  Releases a feed's poll lock, only when it is still the caller's: a poll that outlived its lock
  never frees the next poll's.

  Input:
    KEYS[1] the feed's lock (string: the holder's token)
    ARGV[1] the caller's token
  Output:
    1 released; 0 the lock was gone or someone else's
]]
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
