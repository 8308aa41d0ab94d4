-- Lists a new session in its tenant's index unless the tenant already has its limit of open sessions
-- (counted here, atomically, so every replica sees one count), and prunes entries of expired sessions.
-- KEYS[1] the tenant's sessions (all scores 0, members ordered by text: "<created>:<session>")
-- KEYS[2] the same members scored by expiry (epoch ms)
-- ARGV[1] the member, ARGV[2] its expiry, ARGV[3] now, ARGV[4] how many expired entries to prune at most,
-- ARGV[5] the limit of open sessions (0 = none)
-- Reply: the number of entries pruned, or -1 when the tenant is at its limit (nothing written)
local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[3], 'LIMIT', 0, ARGV[4])
if #expired > 0 then
  redis.call('ZREM', KEYS[1], unpack(expired))
  redis.call('ZREM', KEYS[2], unpack(expired))
end
local limit = tonumber(ARGV[5])
if limit > 0 and not redis.call('ZSCORE', KEYS[2], ARGV[1])
    and redis.call('ZCOUNT', KEYS[2], '(' .. ARGV[3], '+inf') >= limit then
  return -1
end
redis.call('ZADD', KEYS[1], 0, ARGV[1])
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
return #expired
