-- Grants executions' leases to owners when each is free, expired, or already the owner's. Every grant takes
-- a new fencing token from a counter that outlives the lease. One call carries one request or a batch of
-- requests for different executions (a batch only where every key lives on one server, never on a cluster);
-- each is decided on its own.
-- KEYS, 2 per request: the lease hash {owner, token} (expires with the lease), the fencing counter
-- ARGV, 2 per request: the owner, the lease TTL in milliseconds
-- Reply: 2 values per request: {0, fencing token} granted | {6, 0} another owner holds a live lease
local OK, HELD = 0, 6

local reply = {}
for n = 0, #KEYS / 2 - 1 do
  local lease, fence, owner, ttl = KEYS[2 * n + 1], KEYS[2 * n + 2], ARGV[2 * n + 1], ARGV[2 * n + 2]
  local holder = redis.call('HGET', lease, 'owner')
  if holder and holder ~= owner then
    reply[#reply + 1] = HELD
    reply[#reply + 1] = 0
  else
    local token = redis.call('INCR', fence)
    redis.call('HSET', lease, 'owner', owner, 'token', token)
    redis.call('PEXPIRE', lease, ttl)
    reply[#reply + 1] = OK
    reply[#reply + 1] = token
  end
end
return reply
