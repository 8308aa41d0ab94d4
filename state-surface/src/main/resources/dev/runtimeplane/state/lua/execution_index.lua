-- Brings a batch of executions' entries in the admin index in line with their record writes: the summary
-- in the entries hash, the member in the sorted sets of every execution, of its state, tenant, intent
-- type and session (score = the execution's last change, epoch ms), and, for a terminal execution, in
-- the expiry set (score = when its record expires), from which entries are trimmed. Versioned: an update
-- for a version not above the indexed one changes nothing, so retried and reordered calls are harmless;
-- of several updates of one member in a batch the newest counts. One command per key the batch touches
-- (HMGET, HSET, one ZADD or ZREM per set), however many entries it carries.
-- Every key has the hash tag {ix} (one cluster slot); the keys of the sets are named from ARGV[1] and the
-- entry, the same way KeyLayout names them.
-- KEYS[1] entries (hash member -> summary JSON), KEYS[2] all, KEYS[3] expiry
-- ARGV[1] the index key prefix ("<prefix>:{ix}:"), ARGV[2] now (ms), ARGV[3] how many expired entries to
-- trim at most, then 12 values per update: member (<tenant>:<execution>), record version, state,
-- terminal (1/0), tenant, session, type, type version, owner, created (ms), updated (ms), expires at (ms;
-- terminal only)
-- Reply: the number of entries changed
local prefix = ARGV[1]
local FIRST, FIELDS = 4, 12

local function unindex(m, entry)
  redis.call('ZREM', KEYS[2], m)
  redis.call('ZREM', KEYS[3], m)
  redis.call('ZREM', prefix .. 'state:' .. entry.s, m)
  redis.call('ZREM', prefix .. 'tenant:' .. entry.t, m)
  redis.call('ZREM', prefix .. 'type:' .. entry.y, m)
  redis.call('ZREM', prefix .. 'session:' .. entry.t .. ':' .. entry.e, m)
  redis.call('HDEL', KEYS[1], m)
end

local expired = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', ARGV[2], 'LIMIT', 0, ARGV[3])
for _, m in ipairs(expired) do
  local raw = redis.call('HGET', KEYS[1], m)
  if raw then
    unindex(m, cjson.decode(raw))
  else
    redis.call('ZREM', KEYS[3], m)
  end
end

-- The newest update of each member, in order of first appearance.
local newest, members = {}, {}
for i = FIRST, #ARGV, FIELDS do
  local m = ARGV[i]
  local seen = newest[m]
  if not seen then
    members[#members + 1] = m
    newest[m] = i
  elseif tonumber(ARGV[seen + 1]) < tonumber(ARGV[i + 1]) then
    newest[m] = i
  end
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

local stored = redis.call('HMGET', KEYS[1], unpack(members))
local entries = {}
for n, m in ipairs(members) do
  local i = newest[m]
  local version, state, terminal = tonumber(ARGV[i + 1]), ARGV[i + 2], tonumber(ARGV[i + 3])
  local tenant, session, type = ARGV[i + 4], ARGV[i + 5], ARGV[i + 6]
  local old = stored[n] and cjson.decode(stored[n])
  if not old or old.v < version then
    local updated = tonumber(ARGV[i + 10])
    if old and old.s ~= state then
      add(removes, prefix .. 'state:' .. old.s, m)
    end
    entries[#entries + 1] = m
    entries[#entries + 1] = cjson.encode({v = version, s = state, x = terminal, t = tenant,
        i = string.sub(m, #tenant + 2), e = session, y = type, n = tonumber(ARGV[i + 7]), o = ARGV[i + 8],
        c = tonumber(ARGV[i + 9]), u = updated})
    add(adds, KEYS[2], updated, m)
    add(adds, prefix .. 'state:' .. state, updated, m)
    add(adds, prefix .. 'tenant:' .. tenant, updated, m)
    add(adds, prefix .. 'type:' .. type, updated, m)
    add(adds, prefix .. 'session:' .. tenant .. ':' .. session, updated, m)
    if terminal == 1 then
      add(adds, KEYS[3], ARGV[i + 11], m)
    elseif not old or old.x == 1 then
      add(removes, KEYS[3], m)
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
redis.call('HSET', KEYS[1], unpack(entries))
for _, key in ipairs(order) do
  if adds[key] then
    redis.call('ZADD', key, unpack(adds[key]))
  end
end
return #entries / 2
