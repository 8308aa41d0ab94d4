-- Stores execution snapshots and appends their new events, each if its writer holds the current lease and
-- the snapshot is newer than the stored one. A terminal snapshot starts the retention period: the record,
-- its events and its fencing counter expire after it; a running one after a terminal one (an operator's
-- retry of a FAILED execution) makes them permanent again.
-- One call carries one write or a batch of writes of different executions (a batch only where every key
-- lives on one server, never on a cluster); each write is decided on its own, as if it came alone.
-- KEYS, 4 per write: the record hash, the event list, the lease hash {owner, token}, the fencing-token counter
-- ARGV[1] the number of writes, then per write: how many values follow for it (12 + its new events), then
-- the writer's fencing token, the version, the state name, terminal (1 or 0), the session id, the body,
-- the retention of a terminal execution (ms), type, type version, owner, created (ms), updated (ms), the new events
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
  for first = a + 12, last, EVENTS_PER_PUSH do
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

local reply = {}
local a = 2
for n = 0, tonumber(ARGV[1]) - 1 do
  local count = tonumber(ARGV[a])
  local k = 4 * n
  local status, x, y, z = write(KEYS[k + 1], KEYS[k + 2], KEYS[k + 3], KEYS[k + 4], a + 1, a + count)
  reply[#reply + 1] = status
  reply[#reply + 1] = x
  reply[#reply + 1] = y
  reply[#reply + 1] = z
  a = a + count + 1
end
return reply
