-- Promotes a pending state version (see state_write) to committed, once its journal record is durable.
-- Idempotent: a version already promoted by whoever took it over answers OK too.
-- KEYS[1] the state hash, KEYS[2] the session's tombstone
-- ARGV[1] the pending id
-- Reply: {0} committed | {8} the session was closed meanwhile | {1} the state is gone (expired, or Redis
--        lost it) | {5} another write holds or took the version (Redis lost data meanwhile)
local OK, NOT_FOUND, STALE, CLOSED = 0, 1, 5, 8

local state = redis.call('HMGET', KEYS[1], 'v', 'pid', 'cid')
if not state[1] then
  if redis.call('EXISTS', KEYS[2]) == 1 then
    return {CLOSED}
  end
  return {NOT_FOUND}
end
if state[2] == ARGV[1] then
  local pending = redis.call('HMGET', KEYS[1], 'pv', 'pdoc')
  redis.call('HSET', KEYS[1], 'v', pending[1], 'doc', pending[2], 'cid', ARGV[1])
  redis.call('HDEL', KEYS[1], 'pv', 'pdoc', 'pid', 'pat')
  return {OK}
end
if state[3] == ARGV[1] then
  return {OK}
end
return {STALE}
