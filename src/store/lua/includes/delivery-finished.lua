--[[
  Whether an article's delivery is finished: its fan-out is done and every recipient it counted
  has an outcome. A figure that is missing (figures that expired and were begun again by a late
  write) never counts as finished: such an article is never marked finished from half its figures.
  Input: the article's figures (hash). Output: true or false.
]]
local function deliveryFinished(stats)
  local figures = redis.call('HMGET', stats, 'fanoutDoneAt', 'done', 'recipients')
  local fanoutDone, done, recipients = figures[1], figures[2], figures[3]
  if not fanoutDone or not done or not recipients then return false end
  return tonumber(done) >= tonumber(recipients)
end
