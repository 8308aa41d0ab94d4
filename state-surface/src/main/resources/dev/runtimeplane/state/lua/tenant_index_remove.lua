-- Removes sessions from their tenant's index.
-- KEYS[1] the tenant's sessions, KEYS[2] the same members scored by expiry
-- ARGV the members to remove
-- Reply: the number of members removed
redis.call('ZREM', KEYS[2], unpack(ARGV))
return redis.call('ZREM', KEYS[1], unpack(ARGV))
