-- Reads an execution's events from a position on (see execution_write.lua: the record hash keeps them as
-- fields e0, e1, ... and their count in `events`).
-- KEYS[1] the execution's record hash
-- ARGV[1] the position of the first event to read (0 = the first)
-- Reply: {0, the events in order} (empty when there are none from there)
local NAMES_PER_READ = 1000

local count = tonumber(redis.call('HGET', KEYS[1], 'events')) or 0
local events = {}
for first = tonumber(ARGV[1]), count - 1, NAMES_PER_READ do
  local names = {}
  for n = first, math.min(first + NAMES_PER_READ, count) - 1 do
    names[#names + 1] = 'e' .. n
  end
  for _, event in ipairs(redis.call('HMGET', KEYS[1], unpack(names))) do
    events[#events + 1] = event
  end
end
return {0, events}
