-- Lists a session in its tenant's index (or refreshes its expiry there) and prunes entries of
-- sessions that have expired.
-- KEYS[1] the tenant's sessions (all scores 0, members ordered by text: "<created>:<session>")
-- KEYS[2] the same members scored by expiry (epoch ms)
-- ARGV[1] the member, ARGV[2] its expiry, ARGV[3] now, ARGV[4] how many expired entries to prune at most
-- Reply: the number of entries pruned
redis.call('ZADD', KEYS[1], 0, ARGV[1])
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[3], 'LIMIT', 0, ARGV[4])
if #expired > 0 then
  redis.call('ZREM', KEYS[1], unpack(expired))
  redis.call('ZREM', KEYS[2], unpack(expired))
end
return #expired
