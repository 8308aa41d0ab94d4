-- Gives a lease up if it is still held with this fencing token; otherwise does nothing. The `fence` counter
-- stays (see execution_lease_lib.lua).
-- KEYS[1] the execution's record hash
-- ARGV[1] the fencing token
-- Reply: 1 released | 0 not held with this token
local lease = redis.call('HMGET', KEYS[1], 'fence', 'lease_owner')
if lease[1] ~= ARGV[1] or not lease[2] then
  return 0
end
redis.call('HDEL', KEYS[1], 'lease_owner', 'lease_until')
return 1
