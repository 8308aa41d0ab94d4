-- Removes a session and everything that lives with it.
-- KEYS[1] the session hash, KEYS[2] the state hash, KEYS[3] the session's execution index
-- Reply: {0, the session's member in its tenant's index} | {1} no such session
local OK, NOT_FOUND = 0, 1

local member = redis.call('HGET', KEYS[1], 'index')
if not member then
  return {NOT_FOUND}
end
redis.call('DEL', unpack(KEYS))
return {OK, member}
