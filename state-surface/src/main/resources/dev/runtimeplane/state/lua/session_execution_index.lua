-- Adds an execution to its session's index (oldest first), which expires with the session.
-- Does nothing when the session is gone: the index must not outlive it.
-- KEYS[1] the session hash, KEYS[2] the session's execution index (sorted set)
-- ARGV[1] the score (epoch ms of the first write), ARGV[2] the execution id
-- Reply: 1 indexed (or already indexed) | 0 no such session
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  return 0
end
redis.call('ZADD', KEYS[2], 'NX', ARGV[1], ARGV[2])
redis.call('PEXPIRE', KEYS[2], ttl)
return 1
