-- Prunes expired entries from a tenant's session index, then returns one page of it.
-- KEYS[1] the tenant's sessions (all scores 0, members ordered by text: "<created>:<session>")
-- KEYS[2] the same members scored by expiry (epoch ms)
-- ARGV[1] now, ARGV[2] how many expired entries to prune at most
-- ARGV[3] the last member of the previous page, or '' for the first page
-- ARGV[4] the page size
-- Reply: {0, the members of the page in order}
local OK = 0

local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[1], 'LIMIT', 0, ARGV[2])
if #expired > 0 then
  redis.call('ZREM', KEYS[1], unpack(expired))
  redis.call('ZREM', KEYS[2], unpack(expired))
end
local from = ARGV[3] == '' and '-' or '(' .. ARGV[3]
return {OK, redis.call('ZRANGEBYLEX', KEYS[1], from, '+', 'LIMIT', 0, ARGV[4])}
