-- Journal replay of a close: removes the session and everything that lives with it and leaves the
-- tombstone, whether or not Redis still has the session (a close wins over any version of it).
-- KEYS[1] the session hash, KEYS[2] the state hash, KEYS[3] the session's tombstone
-- ARGV[1] how long the tombstone must last (ms, > 0): until the session would have expired
-- Reply: {0} Redis changed | {5} Redis had the close already
local OK, STALE = 0, 5

local removed = redis.call('DEL', KEYS[1], KEYS[2])
if redis.call('PTTL', KEYS[3]) >= tonumber(ARGV[1]) and removed == 0 then
  return {STALE}
end
redis.call('SET', KEYS[3], '1', 'PX', ARGV[1])
return {OK}
