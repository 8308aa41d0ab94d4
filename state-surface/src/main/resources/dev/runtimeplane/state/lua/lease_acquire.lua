-- Grants an execution's lease to an owner when it is free, expired, or already the owner's.
-- Every grant takes a new fencing token from a counter that outlives the lease.
-- KEYS[1] the lease hash {owner, token} (expires with the lease), KEYS[2] the fencing counter
-- ARGV[1] the owner, ARGV[2] the lease TTL in milliseconds
-- Reply: {0, fencing token} granted | {6} another owner holds a live lease
local OK, HELD = 0, 6

local owner = redis.call('HGET', KEYS[1], 'owner')
if owner and owner ~= ARGV[1] then
  return {HELD}
end
local token = redis.call('INCR', KEYS[2])
redis.call('HSET', KEYS[1], 'owner', ARGV[1], 'token', token)
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return {OK, token}
