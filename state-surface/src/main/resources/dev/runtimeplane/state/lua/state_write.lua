-- Replaces a session's state document if its version is the expected one.
-- KEYS[1] the state hash {v = version, doc = JSON text}
-- ARGV[1] the expected version
-- ARGV[2] the new document (valid JSON; size already checked by the caller)
-- Reply: {0, new version} written | {1} no such session | {2, actual version} version conflict
local OK, NOT_FOUND, VERSION_CONFLICT = 0, 1, 2

local version = redis.call('HGET', KEYS[1], 'v')
if not version then
  return {NOT_FOUND}
end
version = tonumber(version)
if version ~= tonumber(ARGV[1]) then
  return {VERSION_CONFLICT, version}
end
-- HSET keeps the key's TTL, so the state still expires with its session.
redis.call('HSET', KEYS[1], 'v', version + 1, 'doc', ARGV[2])
return {OK, version + 1}
