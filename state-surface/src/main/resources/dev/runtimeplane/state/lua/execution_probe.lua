-- What adoption needs to know about an indexed execution, read in one step of its slot.
-- KEYS[1] the execution's record hash (see execution_lease_lib.lua for its lease)
-- Reply: {0, record, leased}: record 0 none | 1 not terminal | 2 terminal; leased 1 when a lease is held
local stored = redis.call('HMGET', KEYS[1], 'terminal', 'lease_until')
local record = 0
if stored[1] == '1' then
  record = 2
elseif stored[1] then
  record = 1
end
return {0, record, lease_live(stored[2], redis_now()) and 1 or 0}
