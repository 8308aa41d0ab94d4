-- One batch for the index of non-terminal executions: puts executions into it, or moves them to the back
-- (score = their last touch), and removes terminal ones. A touched score always grows, also within one
-- millisecond, so a prune that saw an older score (active_forget) can never remove an entry touched since.
-- KEYS[1] the active index (sorted set)
-- ARGV[1] now (epoch ms), ARGV[2] how many members to touch (n), ARGV[3..2+n] members to touch,
-- ARGV[3+n..] members to remove
-- Reply: the number of members touched
local now, touches = tonumber(ARGV[1]), tonumber(ARGV[2])
if touches > 0 then
  local old = redis.call('ZMSCORE', KEYS[1], unpack(ARGV, 3, 2 + touches))
  local scored = {}
  for n = 1, touches do
    local score = now
    if old[n] and tonumber(old[n]) >= score then
      score = tonumber(old[n]) + 1
    end
    scored[#scored + 1] = score
    scored[#scored + 1] = ARGV[2 + n]
  end
  redis.call('ZADD', KEYS[1], unpack(scored))
end
if #ARGV > 2 + touches then
  redis.call('ZREM', KEYS[1], unpack(ARGV, 3 + touches, #ARGV))
end
return touches
