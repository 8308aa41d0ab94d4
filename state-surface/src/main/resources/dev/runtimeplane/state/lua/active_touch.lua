-- Puts an execution into the index of non-terminal executions, or moves it to the back of it
-- (score = its last write). The score always grows, also within one millisecond, so a prune that
-- saw an older score (active_forget) can never remove an entry a writer has touched since.
-- KEYS[1] the active index (sorted set)
-- ARGV[1] the member (<tenant>:<execution>), ARGV[2] now (epoch ms)
-- Reply: the entry's new score
local score = tonumber(ARGV[2])
local old = redis.call('ZSCORE', KEYS[1], ARGV[1])
if old and tonumber(old) >= score then
  score = tonumber(old) + 1
end
redis.call('ZADD', KEYS[1], score, ARGV[1])
return score
