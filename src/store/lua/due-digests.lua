--[[
  The chats whose digest is due, at most ARGV[3] of them, each leased for ARGV[2] ms: its due
  time moves to now + lease, so a digest job that is lost before it claims the chat's items is
  queued again by a later tick, while the next ticks meanwhile leave the chat alone.

  Input:
    KEYS[1] the due set (sorted set: chat id -> release ms)
    ARGV[1] now, ms
    ARGV[2] lease, ms
    ARGV[3] at most this many chats
  Output:
    a flat list: chat id, its due time (ms), ...
]]
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'WITHSCORES', 'LIMIT', 0, tonumber(ARGV[3]))
local until_ms = tonumber(ARGV[1]) + tonumber(ARGV[2])
for i = 1, #due, 2 do redis.call('ZADD', KEYS[1], 'XX', until_ms, due[i]) end
return due
