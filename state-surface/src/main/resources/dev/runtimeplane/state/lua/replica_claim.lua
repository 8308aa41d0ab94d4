-- Holds a replica id for one process instance: takes it when free, extends it when this instance holds it.
-- KEYS[1] the replica id's key (its value is the holding instance's nonce, it expires with the claim)
-- ARGV[1] the instance nonce, ARGV[2] the TTL in milliseconds
-- Reply: 1 held by this instance | 0 held by another instance
local holder = redis.call('GET', KEYS[1])
if holder and holder ~= ARGV[1] then
  return 0
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
