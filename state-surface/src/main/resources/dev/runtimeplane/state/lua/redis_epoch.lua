-- Reads the marker that tells this Redis's data apart from a Redis that lost it (restarted empty,
-- failed over to an empty replica, flushed): a random id written by whichever replica saw it missing.
-- KEYS[1] the marker
-- ARGV[1] the id to write when the marker is missing
-- Reply: {0, the marker's id}
local epoch = redis.call('GET', KEYS[1])
if epoch then
  return {0, epoch}
end
redis.call('SET', KEYS[1], ARGV[1])
return {0, ARGV[1]}
