-- One page of the admin index, newest change first. Trims expired entries first (execution_index_lib.lua,
-- which LuaScript.load puts in front of this), then walks the smallest of the candidate sorted sets (those
-- the filters name; the set of all executions when none) from the cursor, checking every filter against
-- each entry's summary, until the page is full, the walk passes the lower time bound or the set ends, or it has
-- examined ARGV[7] entries (so a rare filter never makes one call long: the cursor resumes the walk).
-- KEYS[1] entries (hash), KEYS[2] expiry, KEYS[3..] candidate sorted sets (at least one)
-- ARGV[1] the index key prefix, ARGV[2] now (ms), ARGV[3] how many expired entries to trim at most,
-- ARGV[4] cursor score ('' for the first page), ARGV[5] cursor member, ARGV[6] page size,
-- ARGV[7] how many entries to examine at most, ARGV[8] updated at most (ms, '' none),
-- ARGV[9] updated more than (ms, '' none), filters ('' = any): ARGV[10] state, ARGV[11] tenant,
-- ARGV[12] session, ARGV[13] type, ARGV[14] type version, ARGV[15] owner
-- Reply: {0, next cursor score ('' = the end), next cursor member, examined, the page's entries, each as
--        10 values: tenant, execution, session, type, type version, state, terminal, owner, created, updated}
local OK = 0
local CHUNK = 200
local prefix = ARGV[1]

index_trim(prefix, ARGV[2], ARGV[3])

local base, smallest = KEYS[3], redis.call('ZCARD', KEYS[3])
for i = 4, #KEYS do
  local size = redis.call('ZCARD', KEYS[i])
  if size < smallest then
    base, smallest = KEYS[i], size
  end
end

-- The rank (newest first) to start at: after the cursor's member if it has not moved, else after
-- every entry at or above the cursor's score; without a cursor, at the first entry within the upper bound.
local rank = 0
if ARGV[4] ~= '' then
  local score = redis.call('ZSCORE', base, ARGV[5])
  if score and tonumber(score) == tonumber(ARGV[4]) then
    rank = redis.call('ZREVRANK', base, ARGV[5]) + 1
  else
    rank = redis.call('ZCOUNT', base, ARGV[4], '+inf')
  end
elseif ARGV[8] ~= '' then
  rank = redis.call('ZCOUNT', base, '(' .. ARGV[8], '+inf')
end

local function matches(entry, score)
  if ARGV[8] ~= '' and score > tonumber(ARGV[8]) then return false end
  if ARGV[10] ~= '' and entry.s ~= ARGV[10] then return false end
  if ARGV[11] ~= '' and entry.t ~= ARGV[11] then return false end
  if ARGV[12] ~= '' and entry.e ~= ARGV[12] then return false end
  if ARGV[13] ~= '' and entry.y ~= ARGV[13] then return false end
  if ARGV[14] ~= '' and entry.n ~= tonumber(ARGV[14]) then return false end
  if ARGV[15] ~= '' and entry.o ~= ARGV[15] then return false end
  return true
end

local limit, budget = tonumber(ARGV[6]), tonumber(ARGV[7])
local lower = ARGV[9] ~= '' and tonumber(ARGV[9]) or nil
local page, examined = {}, 0
local lastScore, lastMember = '', ''
while examined < budget do
  local want = math.min(CHUNK, budget - examined)
  local chunk = redis.call('ZREVRANGE', base, rank, rank + want - 1, 'WITHSCORES')
  for i = 1, #chunk, 2 do
    local m, score = chunk[i], tonumber(chunk[i + 1])
    if lower and score <= lower then
      return {OK, '', '', examined, page}
    end
    examined = examined + 1
    lastScore, lastMember = chunk[i + 1], m
    local raw = redis.call('HGET', KEYS[1], m)
    if raw then
      local entry = cjson.decode(raw)
      if matches(entry, score) then
        for _, value in ipairs({entry.t, entry.i, entry.e, entry.y, string.format('%.0f', entry.n), entry.s,
            string.format('%.0f', entry.x), entry.o, string.format('%.0f', entry.c), string.format('%.0f', entry.u)}) do
          page[#page + 1] = value
        end
        if #page == 10 * limit then
          return {OK, lastScore, lastMember, examined, page}
        end
      end
    end
  end
  if #chunk < 2 * want then
    return {OK, '', '', examined, page}
  end
  rank = rank + want
end
return {OK, lastScore, lastMember, examined, page}
