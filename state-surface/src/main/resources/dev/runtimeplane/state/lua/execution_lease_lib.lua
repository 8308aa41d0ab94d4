-- An execution's lease lives in its record hash (KeyLayout.executionRecord), beside the snapshot, so a write
-- checks its lease and reads the stored version in one command: `fence` is the newest fencing token granted
-- (it counts on for as long as the record lives, so each grant's token is above every earlier one), and while
-- a lease is held `lease_owner` and `lease_until` (when it lapses, ms on Redis's clock). LuaScript.load puts
-- this file in front of the scripts that grant, renew, check or read leases (an EVAL script cannot include
-- another).

-- Redis's own clock in ms: every replica's lease lapses by the same clock, as a key's expiry would.
local function redis_now()
  local time = redis.call('TIME')
  return tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
end

-- Whether a lease whose `lease_until` field reads `lease_until` (false when absent) is held at `now`.
local function lease_live(lease_until, now)
  return lease_until and tonumber(lease_until) > now
end
