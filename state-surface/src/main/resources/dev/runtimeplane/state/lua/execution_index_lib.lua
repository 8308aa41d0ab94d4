-- The admin index's two operations, shared by the scripts that change it (LuaScript.load puts this file in
-- front of them: an EVAL script cannot include another). Every index key has the hash tag {ix} (one cluster
-- slot) and is named from the prefix ("<prefix>:{ix}:") the same way KeyLayout names them: the entries hash
-- (member <tenant>:<execution> -> summary JSON), the sorted sets of all executions and of each state,
-- tenant, intent type and session (score = the execution's last change, epoch ms), and the expiry set of
-- terminal executions (score = when their record expires).

-- Removes the entries of records that have expired: at most `limit`, soonest expiry first.
local function index_trim(prefix, now, limit)
  local entries, expiry = prefix .. 'entries', prefix .. 'expiry'
  for _, m in ipairs(redis.call('ZRANGEBYSCORE', expiry, '-inf', now, 'LIMIT', 0, limit)) do
    local raw = redis.call('HGET', entries, m)
    if raw then
      local entry = cjson.decode(raw)
      redis.call('ZREM', prefix .. 'all', m)
      redis.call('ZREM', prefix .. 'state:' .. entry.s, m)
      redis.call('ZREM', prefix .. 'tenant:' .. entry.t, m)
      redis.call('ZREM', prefix .. 'type:' .. entry.y, m)
      redis.call('ZREM', prefix .. 'session:' .. entry.t .. ':' .. entry.e, m)
      redis.call('HDEL', entries, m)
    end
    redis.call('ZREM', expiry, m)
  end
end

-- Brings entries in line with record writes. Each update is a table: m member, v record version, s state,
-- x terminal (1/0), t tenant, e session, y type, n type version, o owner, c created (ms), u updated (ms),
-- exp when a terminal record expires (ms). Versioned: an update not above the indexed version changes
-- nothing, so retried and reordered calls are harmless; of several updates of one member the newest counts.
-- One command per key the updates touch (HMGET, HSET, one ZADD or ZREM per set), however many there are.
-- Returns the number of entries changed.
local function index_apply(prefix, updates)
  local newest, members = {}, {}
  for _, update in ipairs(updates) do
    local seen = newest[update.m]
    if not seen then
      members[#members + 1] = update.m
      newest[update.m] = update
    elseif seen.v < update.v then
      newest[update.m] = update
    end
  end
  if #members == 0 then
    return 0
  end

  local adds, removes, order = {}, {}, {}
  local function add(sets, key, ...)
    local list = sets[key]
    if not list then
      list = {}
      sets[key] = list
      order[#order + 1] = key
    end
    for _, value in ipairs({...}) do
      list[#list + 1] = value
    end
  end

  local entries_key, all, expiry = prefix .. 'entries', prefix .. 'all', prefix .. 'expiry'
  local stored = redis.call('HMGET', entries_key, unpack(members))
  local entries = {}
  for n, m in ipairs(members) do
    local update = newest[m]
    local old = stored[n] and cjson.decode(stored[n])
    if not old or old.v < update.v then
      if old and old.s ~= update.s then
        add(removes, prefix .. 'state:' .. old.s, m)
      end
      entries[#entries + 1] = m
      entries[#entries + 1] = cjson.encode({v = update.v, s = update.s, x = update.x, t = update.t,
          i = string.sub(m, #update.t + 2), e = update.e, y = update.y, n = update.n, o = update.o,
          c = update.c, u = update.u})
      add(adds, all, update.u, m)
      add(adds, prefix .. 'state:' .. update.s, update.u, m)
      add(adds, prefix .. 'tenant:' .. update.t, update.u, m)
      add(adds, prefix .. 'type:' .. update.y, update.u, m)
      add(adds, prefix .. 'session:' .. update.t .. ':' .. update.e, update.u, m)
      if update.x == 1 then
        add(adds, expiry, update.exp, m)
      elseif not old or old.x == 1 then
        add(removes, expiry, m)
      end
    end
  end

  if #entries == 0 then
    return 0
  end
  for _, key in ipairs(order) do
    if removes[key] then
      redis.call('ZREM', key, unpack(removes[key]))
    end
  end
  redis.call('HSET', entries_key, unpack(entries))
  for _, key in ipairs(order) do
    if adds[key] then
      redis.call('ZADD', key, unpack(adds[key]))
    end
  end
  return #entries / 2
end

