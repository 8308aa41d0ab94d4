-- Brings a batch of executions' entries in the admin index in line with their record writes, after
-- trimming expired entries (see execution_index_lib.lua, which LuaScript.load puts in front of this). Used
-- where a record write cannot index in the same call (on a cluster the index is in a slot of its own).
-- KEYS[1] entries, KEYS[2] all, KEYS[3] expiry (declared for the cluster's routing; the script names every
-- index key from ARGV[1])
-- ARGV[1] the index key prefix ("<prefix>:{ix}:"), ARGV[2] now (ms), ARGV[3] how many expired entries to
-- trim at most, then 12 values per update: member (<tenant>:<execution>), record version, state,
-- terminal (1/0), tenant, session, type, type version, owner, created (ms), updated (ms), expires at (ms;
-- terminal only)
-- Reply: the number of entries changed
local FIRST, FIELDS = 4, 12
local prefix = ARGV[1]
index_trim(prefix, ARGV[2], ARGV[3])
local updates = {}
for i = FIRST, #ARGV, FIELDS do
  updates[#updates + 1] = {m = ARGV[i], v = tonumber(ARGV[i + 1]), s = ARGV[i + 2], x = tonumber(ARGV[i + 3]),
      t = ARGV[i + 4], e = ARGV[i + 5], y = ARGV[i + 6], n = tonumber(ARGV[i + 7]), o = ARGV[i + 8],
      c = tonumber(ARGV[i + 9]), u = tonumber(ARGV[i + 10]), exp = ARGV[i + 11]}
end
return index_apply(prefix, updates)
