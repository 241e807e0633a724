--[[
  Rewrites a chat's reader options (issue 8) and nothing else: a language, topic or activity
  change made at the same moment by another process is kept. The stored value is encodeChat's
  "lang|editions|active|kind|zone", then "|thread|connector" and "|options": the options are the
  eighth field, present only when not the defaults, and the short five-field form comes back
  when neither they nor a thread or connector are left.

  Input:
    KEYS[1] the chat's settings bucket (hash: chat id -> encoded settings)
    ARGV[1] chat id
    ARGV[2] the encoded options (encodeReaderOptions; "" for the defaults; never holds "|")
  Output:
    1 saved; 0 no such chat, or settings it cannot read
]]
local v = redis.call('HGET', KEYS[1], ARGV[1])
if not v then return 0 end
local fields = {}
for field in string.gmatch(v .. '|', '([^|]*)|') do fields[#fields + 1] = field end
if #fields < 5 then return 0 end
while #fields > 7 do table.remove(fields) end
if ARGV[2] ~= '' then
  while #fields < 7 do fields[#fields + 1] = '' end
  fields[8] = ARGV[2]
elseif (fields[6] or '') == '' and (fields[7] or '') == '' then
  while #fields > 5 do table.remove(fields) end
end
redis.call('HSET', KEYS[1], ARGV[1], table.concat(fields, '|'))
return 1
