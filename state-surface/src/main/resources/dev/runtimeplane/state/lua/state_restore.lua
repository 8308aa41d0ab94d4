-- Restores a session's state document from the journal when Redis holds an older version (or none).
-- Replay restores states before their sessions, so a restored session never shows an empty document
-- for a moment: when the session is missing, the state is written with the session's journaled time
-- left and waits for it (a state alone is never read). A closed session (tombstone) gets nothing.
-- A pending version at or below the journaled one is settled by it (the journaled record is durable;
-- a pending version is the same write, staged before its writer stopped).
-- KEYS[1] the session hash, KEYS[2] the state hash, KEYS[3] the session's tombstone
-- ARGV[1] the journaled version, ARGV[2] the document, ARGV[3] the session's journaled time left (ms, > 0)
-- Reply: {0} restored | {5} Redis is as new or newer | {1} closed session
local OK, NOT_FOUND, STALE = 0, 1, 5

if redis.call('EXISTS', KEYS[3]) == 1 then
  return {NOT_FOUND}
end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  ttl = tonumber(ARGV[3])
end
local state = redis.call('HMGET', KEYS[2], 'v', 'pv')
if state[1] and tonumber(state[1]) >= tonumber(ARGV[1]) then
  return {STALE}
end
if state[2] then
  if tonumber(state[2]) > tonumber(ARGV[1]) then
    return {STALE}
  end
  redis.call('HDEL', KEYS[2], 'pv', 'pdoc', 'pid', 'pat')
end
redis.call('HSET', KEYS[2], 'v', ARGV[1], 'doc', ARGV[2])
redis.call('HDEL', KEYS[2], 'cid')
redis.call('PEXPIRE', KEYS[2], ttl)
return {OK}
