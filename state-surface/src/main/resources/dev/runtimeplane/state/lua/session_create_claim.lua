-- Binds a session-create Idempotency-Key to the session a create is about to make, unless the key is
-- bound already; then the earlier binding is returned and nothing changes.
-- KEYS[1] the binding (a hash, under the tenant's hash tag)
-- ARGV[1] the TTL in milliseconds (the session's TTL), ARGV[2..] the binding's field/value pairs
-- Reply: {0} bound now | {7, {field, value, ...}} bound before, with the earlier binding
local OK, EXISTS = 0, 7

local earlier = redis.call('HGETALL', KEYS[1])
if #earlier > 0 then
  return {EXISTS, earlier}
end
redis.call('HSET', KEYS[1], unpack(ARGV, 2))
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return {OK}
