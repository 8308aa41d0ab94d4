-- Extends a lease that is still held with the same fencing token.
-- KEYS[1] the execution's record hash (see execution_lease_lib.lua)
-- ARGV[1] the fencing token, ARGV[2] the owner, ARGV[3] the new TTL in milliseconds
-- Reply: 1 renewed | 0 the lease was lost (lapsed, released or granted again)
local now = redis_now()
local lease = redis.call('HMGET', KEYS[1], 'fence', 'lease_owner', 'lease_until')
if lease[1] ~= ARGV[1] or lease[2] ~= ARGV[2] or not lease_live(lease[3], now) then
  return 0
end
redis.call('HSET', KEYS[1], 'lease_until', now + tonumber(ARGV[3]))
return 1
