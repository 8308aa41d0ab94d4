-- Slides a session's expiry: it and everything that lives with it expire one TTL from now. The new
-- expiry was journaled before this runs; applying it twice changes nothing.
-- KEYS[1] the session hash, KEYS[2] the state hash
-- ARGV[1] the new expiry (epoch ms), as journaled
-- Reply: {0, session hash as a flat field/value array} | {1} no such session
local OK, NOT_FOUND = 0, 1

local ttl = redis.call('HGET', KEYS[1], 'ttl')
if not ttl then
  return {NOT_FOUND}
end
if tonumber(redis.call('HGET', KEYS[1], 'expires')) < tonumber(ARGV[1]) then
  redis.call('HSET', KEYS[1], 'expires', ARGV[1])
end
for _, key in ipairs(KEYS) do
  redis.call('PEXPIRE', key, ttl)
end
return {OK, redis.call('HGETALL', KEYS[1])}
