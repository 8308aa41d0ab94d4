-- Stores execution snapshots and appends their new events, each if its writer holds the current lease and
-- the snapshot is newer than the stored one. A terminal snapshot starts the retention period: the record,
-- its events and its fencing counter expire after it; a running one after a terminal one (an operator's
-- retry of a FAILED execution) makes them permanent again.
-- One call carries one write or a batch of writes of different executions (a batch only where every key
-- lives on one server, never on a cluster); each write is decided on its own, as if it came alone. On one
-- server the call also brings both indexes in line with the writes, so a record and its entries change
-- together: the admin index where what it shows changed (see execution_index_lib.lua, which LuaScript.load
-- puts in front of this), the index of non-terminal executions where a record is terminal. On a cluster
-- the indexes are in other slots and their own scripts follow (execution_index.lua, active_touch.lua).
-- KEYS, 4 per write: the record hash, the event list, the lease hash {owner, token}, the fencing-token counter
-- ARGV[1] the number of writes, ARGV[2] the admin index key prefix ("<prefix>:{ix}:"), ARGV[3] now (ms),
-- ARGV[4] how many expired admin index entries to trim at most, ARGV[5] the key of the index of non-terminal
-- executions (ARGV[2] and ARGV[5] '' = do not index here: on a cluster), then per write: how many
-- values follow for it (13 + its new events), then the writer's fencing token, the version, the state name,
-- terminal (1 or 0), the session id, the body, the retention of a terminal execution (ms), type, type
-- version, owner, created (ms), updated (ms), the index member (<tenant>:<execution>), the new events
-- Reply: 4 values per write: {0, terminal, created, relabeled} written (created: 1 when no record existed
--        before; relabeled: 1 when the record is new or its state, terminal flag or owner changed, which is
--        what the admin index shows)
--      | {4, 0, 0, 0} fenced: the token is not the current lease's
--      | {5, stored terminal, 0, 0} stale: the stored version is the same or newer, nothing changed
local OK, FENCED, STALE = 0, 4, 5
local EVENTS_PER_PUSH = 1000

local function write(record, events, lease, fence, a, last)
  if redis.call('HGET', lease, 'token') ~= ARGV[a] then
    return FENCED, 0, 0, 0
  end
  local stored = redis.call('HMGET', record, 'v', 'terminal', 'state', 'owner')
  if stored[1] and tonumber(stored[1]) >= tonumber(ARGV[a + 1]) then
    return STALE, tonumber(stored[2]), 0, 0
  end
  local terminal = ARGV[a + 3]
  redis.call('HSET', record, 'v', ARGV[a + 1], 'state', ARGV[a + 2], 'terminal', terminal,
      'session', ARGV[a + 4], 'body', ARGV[a + 5], 'type', ARGV[a + 7], 'tv', ARGV[a + 8], 'owner', ARGV[a + 9],
      'created', ARGV[a + 10], 'updated', ARGV[a + 11])
  for first = a + 13, last, EVENTS_PER_PUSH do
    redis.call('RPUSH', events, unpack(ARGV, first, math.min(first + EVENTS_PER_PUSH - 1, last)))
  end
  if terminal == '1' then
    redis.call('PEXPIRE', record, ARGV[a + 6])
    redis.call('PEXPIRE', events, ARGV[a + 6])
    redis.call('PEXPIRE', fence, ARGV[a + 6])
  elseif stored[2] == '1' then
    redis.call('PERSIST', record)
    redis.call('PERSIST', events)
    redis.call('PERSIST', fence)
  end
  local relabeled = (not stored[1] or stored[2] ~= terminal or stored[3] ~= ARGV[a + 2]
      or stored[4] ~= ARGV[a + 9]) and 1 or 0
  return OK, tonumber(terminal), stored[1] and 0 or 1, relabeled
end

local prefix, now, active = ARGV[2], tonumber(ARGV[3]), ARGV[5]
local reply, relabels, finished = {}, {}, {}
local a = 6
for n = 0, tonumber(ARGV[1]) - 1 do
  local count = tonumber(ARGV[a])
  local k = 4 * n
  local status, x, y, z = write(KEYS[k + 1], KEYS[k + 2], KEYS[k + 3], KEYS[k + 4], a + 1, a + count)
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
