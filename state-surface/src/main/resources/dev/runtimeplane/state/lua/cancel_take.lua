-- Takes every cancel handed to a replica: returns them and empties the hash, in one step, so a
-- request added meanwhile is either returned now or left for the next take.
-- KEYS[1] the replica's cancel requests (hash <tenant>:<execution> -> request)
-- Reply: {0, the hash as a flat field/value array}
local all = redis.call('HGETALL', KEYS[1])
if #all > 0 then
  redis.call('DEL', KEYS[1])
end
return {0, all}
