-- What adoption needs to know about an indexed execution, read in one step of its slot.
-- KEYS[1] the record hash, KEYS[2] the lease hash
-- Reply: {0, record, leased}: record 0 none | 1 not terminal | 2 terminal; leased 1 when a lease is held
local terminal = redis.call('HGET', KEYS[1], 'terminal')
local record = 0
if terminal == '1' then
  record = 2
elseif terminal then
  record = 1
end
return {0, record, redis.call('EXISTS', KEYS[2])}
