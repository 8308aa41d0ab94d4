-- Restores a session from the journal where Redis lacks it: recreates it (with an empty state at
-- version 0 if its state is missing too), or extends its expiry when Redis holds an older one (a
-- touch Redis lost). Never brings back a closed session (tombstone) or an expired one.
-- KEYS[1] the session hash, KEYS[2] the state hash, KEYS[3] the session's tombstone
-- ARGV[1] the journaled expiry (epoch ms), ARGV[2] the time left until then (ms, > 0)
-- ARGV[3..] the session hash's field/value pairs
-- Reply: {0} restored | {5} Redis is as new or newer (nothing to do) | {8} closed
local OK, STALE, CLOSED = 0, 5, 8

if redis.call('EXISTS', KEYS[3]) == 1 then
  return {CLOSED}
end
local expires = redis.call('HGET', KEYS[1], 'expires')
if expires then
  if tonumber(expires) >= tonumber(ARGV[1]) then
    return {STALE}
  end
  redis.call('HSET', KEYS[1], 'expires', ARGV[1])
  for i = 1, 2 do
    redis.call('PEXPIRE', KEYS[i], ARGV[2])
  end
  return {OK}
end
redis.call('HSET', KEYS[1], unpack(ARGV, 3))
redis.call('HSETNX', KEYS[2], 'v', 0)
redis.call('HSETNX', KEYS[2], 'doc', '{}')
redis.call('PEXPIRE', KEYS[1], ARGV[2])
redis.call('PEXPIRE', KEYS[2], ARGV[2])
return {OK}
