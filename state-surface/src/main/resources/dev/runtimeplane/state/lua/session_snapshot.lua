-- Reads a session and its state in one step, to journal them again (carry them forward).
-- KEYS[1] the session hash, KEYS[2] the state hash, KEYS[3] the session's tombstone
-- Reply: {0, session hash as a flat field/value array, state version, document}
--      | {1} no such session | {8} closed (tombstone)
local OK, NOT_FOUND, CLOSED = 0, 1, 8

if redis.call('EXISTS', KEYS[3]) == 1 then
  return {CLOSED}
end
local hash = redis.call('HGETALL', KEYS[1])
local state = redis.call('HMGET', KEYS[2], 'v', 'doc')
if #hash == 0 or not state[1] then
  return {NOT_FOUND}
end
return {OK, hash, tonumber(state[1]), state[2]}
