-- Removes a session and everything that lives with it, and leaves a tombstone for the rest of its
-- TTL: a replica replaying its journal must not bring back a session another replica closed.
-- KEYS[1] the session hash, KEYS[2] the state hash, KEYS[3] the session's tombstone
-- Reply: {0, the session's member in its tenant's index, its remaining TTL in ms} | {1} no such session
local OK, NOT_FOUND = 0, 1

local member = redis.call('HGET', KEYS[1], 'index')
if not member then
  return {NOT_FOUND}
end
local ttl = redis.call('PTTL', KEYS[1])
redis.call('DEL', KEYS[1], KEYS[2])
if ttl > 0 then
  redis.call('SET', KEYS[3], '1', 'PX', ttl)
end
return {OK, member, ttl}
