-- Restores a session's state document from the journal when Redis holds an older version (or none).
-- The session itself must exist: state never outlives its session.
-- KEYS[1] the session hash, KEYS[2] the state hash
-- ARGV[1] the journaled version, ARGV[2] the document
-- Reply: {0} restored | {5} Redis is as new or newer | {1} no such session
local OK, NOT_FOUND, STALE = 0, 1, 5

local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  return {NOT_FOUND}
end
local version = redis.call('HGET', KEYS[2], 'v')
if version and tonumber(version) >= tonumber(ARGV[1]) then
  return {STALE}
end
redis.call('HSET', KEYS[2], 'v', ARGV[1], 'doc', ARGV[2])
redis.call('PEXPIRE', KEYS[2], ttl)
return {OK}
