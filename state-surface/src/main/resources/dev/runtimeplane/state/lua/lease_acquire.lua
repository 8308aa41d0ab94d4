-- Grants executions' leases to owners when each is free, lapsed, or already the owner's. Every grant takes
-- the next fencing token from the record's `fence` counter (see execution_lease_lib.lua). One call carries
-- one request or a batch of requests for different executions (a batch only where every key lives on one
-- server, never on a cluster); each is decided on its own.
-- KEYS, 1 per request: the execution's record hash
-- ARGV, 2 per request: the owner, the lease TTL in milliseconds
-- Reply: 2 values per request: {0, fencing token} granted | {6, 0} another owner holds a live lease
local OK, HELD = 0, 6

local now = redis_now()
local reply = {}
for n = 1, #KEYS do
  local record, owner, ttl = KEYS[n], ARGV[2 * n - 1], tonumber(ARGV[2 * n])
  local lease = redis.call('HMGET', record, 'lease_owner', 'lease_until', 'fence')
  if lease[1] and lease[1] ~= owner and lease_live(lease[2], now) then
    reply[#reply + 1] = HELD
    reply[#reply + 1] = 0
  else
    local token = (tonumber(lease[3]) or 0) + 1
    redis.call('HSET', record, 'fence', token, 'lease_owner', owner, 'lease_until', now + ttl)
    reply[#reply + 1] = OK
    reply[#reply + 1] = token
  end
end
return reply
