-- Stores execution snapshots and appends their new events, each if its writer holds the current lease and
-- the snapshot is newer than the stored one. An execution is one hash: the snapshot's fields, its lease (see
-- execution_lease_lib.lua, which LuaScript.load puts in front of this) and its events as fields e0, e1, ...
-- with their count in `events`, so a write is two commands: one read of the lease and the stored version,
-- one HSET. A terminal snapshot starts the retention period: the record expires after it; a running one after
-- a terminal one (an operator's retry of a FAILED execution) makes it permanent again.
-- One call carries one write or a batch of writes of different executions (a batch only where every key
-- lives on one server, never on a cluster); each write is decided on its own, as if it came alone. On one
-- server the call also brings both indexes in line with the writes, so a record and its entries change
-- together: the admin index where what it shows changed (see execution_index_lib.lua, also put in front of
-- this), the index of non-terminal executions where a record is terminal. On a cluster the indexes are in
-- other slots and their own scripts follow (execution_index.lua, active_touch.lua).
-- KEYS, 1 per write: the execution's record hash
-- ARGV[1] the number of writes, ARGV[2] the admin index key prefix ("<prefix>:{ix}:"), ARGV[3] now (ms),
-- ARGV[4] how many expired admin index entries to trim at most, ARGV[5] the key of the index of non-terminal
-- executions (ARGV[2] and ARGV[5] '' = do not index here: on a cluster), then per write: how many
-- values follow for it (13 + its new events), then the writer's fencing token, the version, the state name,
-- terminal (1 or 0), the session id, the body, the retention of a terminal execution (ms), type, type
-- version, owner, created (ms), updated (ms), the index member (<tenant>:<execution>), the new events
-- Reply: 4 values per write: {0, terminal, created, relabeled} written (created: 1 when no record existed
--        before; relabeled: 1 when the record is new or its state, terminal flag or owner changed, which is
--        what the admin index shows)
--      | {4, 0, 0, 0} fenced: the token is not the current lease's (granted again since, released, lapsed)
--      | {5, stored terminal, 0, 0} stale: the stored version is the same or newer, nothing changed
local OK, FENCED, STALE = 0, 4, 5
-- Field-value pairs per HSET: Lua's unpack has a bound, and a write may carry a long history (a replay).
local VALUES_PER_HSET = 2000

local function write(record, a, last, redis_ms)
  local stored = redis.call('HMGET', record, 'fence', 'lease_until', 'v', 'terminal', 'state', 'owner', 'events')
  if stored[1] ~= ARGV[a] or not lease_live(stored[2], redis_ms) then
    return FENCED, 0, 0, 0
  end
  if stored[3] and tonumber(stored[3]) >= tonumber(ARGV[a + 1]) then
    return STALE, tonumber(stored[4]), 0, 0
  end
  local terminal = ARGV[a + 3]
  local fields = {'v', ARGV[a + 1], 'state', ARGV[a + 2], 'terminal', terminal, 'session', ARGV[a + 4],
      'body', ARGV[a + 5], 'type', ARGV[a + 7], 'tv', ARGV[a + 8], 'owner', ARGV[a + 9], 'created', ARGV[a + 10],
      'updated', ARGV[a + 11]}
  local events = tonumber(stored[7]) or 0
  for n = a + 13, last do
    fields[#fields + 1] = 'e' .. events
    fields[#fields + 1] = ARGV[n]
    events = events + 1
  end
  fields[#fields + 1] = 'events'
  fields[#fields + 1] = events
  for first = 1, #fields, VALUES_PER_HSET do
    redis.call('HSET', record, unpack(fields, first, math.min(first + VALUES_PER_HSET - 1, #fields)))
  end
  if terminal == '1' then
    redis.call('PEXPIRE', record, ARGV[a + 6])
  elseif stored[4] == '1' then
    redis.call('PERSIST', record)
  end
  local relabeled = (not stored[3] or stored[4] ~= terminal or stored[5] ~= ARGV[a + 2]
      or stored[6] ~= ARGV[a + 9]) and 1 or 0
  return OK, tonumber(terminal), stored[3] and 0 or 1, relabeled
end

-- Two clocks: leases lapse by Redis's (as in every lease script); the admin index keeps the caller's `now`,
-- as execution_index.lua does on a cluster, so its expiry scores mean the same in both modes.
local prefix, now, active = ARGV[2], tonumber(ARGV[3]), ARGV[5]
local redis_ms = redis_now()
local reply, relabels, finished = {}, {}, {}
local a = 6
for n = 0, tonumber(ARGV[1]) - 1 do
  local count = tonumber(ARGV[a])
  local status, x, y, z = write(KEYS[n + 1], a + 1, a + count, redis_ms)
  reply[#reply + 1] = status
  reply[#reply + 1] = x
  reply[#reply + 1] = y
  reply[#reply + 1] = z
  if x == 1 and status ~= FENCED and active ~= '' then
    finished[#finished + 1] = ARGV[a + 13]
  end
  -- A stale write is indexed too (versioned: it changes nothing unless the entry is missing or older), so a
  -- replayed write restores an entry Redis lost.
  if (z == 1 or status == STALE) and prefix ~= '' then
    local member, terminal = ARGV[a + 13], tonumber(ARGV[a + 4])
    relabels[#relabels + 1] = {m = member, v = tonumber(ARGV[a + 2]), s = ARGV[a + 3], x = terminal,
        t = string.sub(member, 1, string.find(member, ':', 1, true) - 1), e = ARGV[a + 5], y = ARGV[a + 8],
        n = tonumber(ARGV[a + 9]), o = ARGV[a + 10], c = tonumber(ARGV[a + 11]), u = tonumber(ARGV[a + 12]),
        exp = now + tonumber(ARGV[a + 7])}
  end
  a = a + count + 1
end
if #relabels > 0 then
  index_trim(prefix, now, ARGV[4])
  index_apply(prefix, relabels)
end
if #finished > 0 then
  redis.call('ZREM', active, unpack(finished))
end
return reply
