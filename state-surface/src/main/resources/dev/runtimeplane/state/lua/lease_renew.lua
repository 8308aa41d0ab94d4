-- Extends a lease that is still held with the same fencing token.
-- KEYS[1] the lease hash {owner, token}
-- ARGV[1] the fencing token, ARGV[2] the owner, ARGV[3] the new TTL in milliseconds
-- Reply: 1 renewed | 0 the lease was lost (expired, released or granted again)
local lease = redis.call('HMGET', KEYS[1], 'token', 'owner')
if lease[1] ~= ARGV[1] or lease[2] ~= ARGV[2] then
  return 0
end
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
