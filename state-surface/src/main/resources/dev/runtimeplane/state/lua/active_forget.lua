-- Removes an entry from the index of non-terminal executions, unless a writer touched it since the
-- caller saw it (its score changed: see active_touch).
-- KEYS[1] the active index (sorted set)
-- ARGV[1] the member, ARGV[2] the score the caller saw
-- Reply: 1 removed | 0 kept (touched since, or already gone)
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if score and tonumber(score) == tonumber(ARGV[2]) then
  redis.call('ZREM', KEYS[1], ARGV[1])
  return 1
end
return 0
