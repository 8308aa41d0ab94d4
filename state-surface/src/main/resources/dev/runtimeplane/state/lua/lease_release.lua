-- Gives a lease up if it is still held with this fencing token; otherwise does nothing.
-- KEYS[1] the lease hash {owner, token}
-- ARGV[1] the fencing token
-- Reply: 1 released | 0 not held with this token
if redis.call('HGET', KEYS[1], 'token') ~= ARGV[1] then
  return 0
end
return redis.call('DEL', KEYS[1])
