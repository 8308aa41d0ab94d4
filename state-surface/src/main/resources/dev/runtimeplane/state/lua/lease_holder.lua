-- Who holds an execution's lease now.
-- KEYS[1] the execution's record hash (see execution_lease_lib.lua)
-- Reply: {0, owner} a lease is held | {1} none (never granted, released or lapsed)
local lease = redis.call('HMGET', KEYS[1], 'lease_owner', 'lease_until')
if lease[1] and lease_live(lease[2], redis_now()) then
  return {0, lease[1]}
end
return {1}
