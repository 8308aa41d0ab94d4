-- Stores an execution snapshot and appends its new events, if the writer holds the current
-- lease and the snapshot is newer than the stored one. A terminal snapshot starts the retention
-- period: the record, its events and its fencing counter expire after it; a running one after a
-- terminal one (an operator's retry of a FAILED execution) makes them permanent again.
-- KEYS[1] the record hash, KEYS[2] the event list, KEYS[3] the lease hash {owner, token},
-- KEYS[4] the fencing-token counter
-- ARGV[1] the writer's fencing token, ARGV[2] the version, ARGV[3] the state name,
-- ARGV[4] terminal (1 or 0), ARGV[5] the session id, ARGV[6] the body,
-- ARGV[7] the retention of a terminal execution (ms), ARGV[8] type, ARGV[9] type version, ARGV[10] owner,
-- ARGV[11] created (ms), ARGV[12] updated (ms), ARGV[13..] new events
-- Reply: {0, terminal, created} written (created: 1 when no record existed before)
--      | {4} fenced: the token is not the current lease's
--      | {5, stored terminal} stale: the stored version is the same or newer, nothing changed
local OK, FENCED, STALE = 0, 4, 5
local EVENTS_PER_PUSH = 1000

if redis.call('HGET', KEYS[3], 'token') ~= ARGV[1] then
  return {FENCED}
end
local stored = redis.call('HMGET', KEYS[1], 'v', 'terminal')
if stored[1] and tonumber(stored[1]) >= tonumber(ARGV[2]) then
  return {STALE, tonumber(stored[2])}
end
redis.call('HSET', KEYS[1], 'v', ARGV[2], 'state', ARGV[3], 'terminal', ARGV[4],
    'session', ARGV[5], 'body', ARGV[6], 'type', ARGV[8], 'tv', ARGV[9], 'owner', ARGV[10],
    'created', ARGV[11], 'updated', ARGV[12])
for first = 13, #ARGV, EVENTS_PER_PUSH do
  redis.call('RPUSH', KEYS[2], unpack(ARGV, first, math.min(first + EVENTS_PER_PUSH - 1, #ARGV)))
end
if ARGV[4] == '1' then
  redis.call('PEXPIRE', KEYS[1], ARGV[7])
  redis.call('PEXPIRE', KEYS[2], ARGV[7])
  redis.call('PEXPIRE', KEYS[4], ARGV[7])
elseif stored[2] == '1' then
  redis.call('PERSIST', KEYS[1])
  redis.call('PERSIST', KEYS[2])
  redis.call('PERSIST', KEYS[4])
end
return {OK, tonumber(ARGV[4]), stored[1] and 0 or 1}
