-- Creates a session: its metadata hash and its state document (empty object, version 0), both
-- expiring after the session's TTL.
-- KEYS[1] the session hash, KEYS[2] the state hash
-- ARGV[1] the TTL in milliseconds
-- ARGV[2..] the session hash's field/value pairs
-- Reply: {0} created | {7} the id is taken (ids are random, so this is a defect, not a race)
local OK, EXISTS = 0, 7

if redis.call('EXISTS', KEYS[1]) == 1 then
  return {EXISTS}
end
redis.call('HSET', KEYS[1], unpack(ARGV, 2))
redis.call('HSET', KEYS[2], 'v', 0, 'doc', '{}')
redis.call('PEXPIRE', KEYS[1], ARGV[1])
redis.call('PEXPIRE', KEYS[2], ARGV[1])
return {OK}
