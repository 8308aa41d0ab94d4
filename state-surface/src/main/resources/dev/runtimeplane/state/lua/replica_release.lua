-- Gives a replica id up if this instance still holds it; otherwise does nothing.
-- KEYS[1] the replica id's key; ARGV[1] the instance nonce
-- Reply: 1 released | 0 not held by this instance
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return 0
end
return redis.call('DEL', KEYS[1])
