--[[
  Releases a claim (a feed's poll lock, an article's picture upload), only while it is still the
  caller's: a holder that outlived its claim never frees the next holder's.

  Input:
    KEYS[1] the claim (string: the holder's token)
    ARGV[1] the caller's token
  Output:
    1 released; 0 the claim was gone or someone else's
]]
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
