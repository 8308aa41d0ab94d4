-- Brings an execution's entry in the admin index in line with a record write: the summary in the
-- entries hash, the member in the sorted sets of every execution, of its state, tenant, intent type
-- and session (score = the execution's last change, epoch ms), and, for a terminal execution, in the
-- expiry set (score = when its record expires), from which entries are trimmed. Versioned: an update
-- for a version not above the indexed one changes nothing, so retried and reordered calls are harmless.
-- Every key has the hash tag {ix} (one cluster slot); the keys of an older entry and of trimmed ones are
-- named from ARGV[1] and the entry, the same way KeyLayout names them.
-- KEYS[1] entries (hash member -> summary JSON), KEYS[2] all, KEYS[3] expiry,
-- KEYS[4] state, KEYS[5] tenant, KEYS[6] type, KEYS[7] session (sorted sets)
-- ARGV[1] the index key prefix ("<prefix>:{ix}:"), ARGV[2] the member (<tenant>:<execution>),
-- ARGV[3] record version, ARGV[4] state, ARGV[5] terminal (1/0), ARGV[6] tenant, ARGV[7] session,
-- ARGV[8] type, ARGV[9] type version, ARGV[10] owner, ARGV[11] created (ms), ARGV[12] updated (ms),
-- ARGV[13] expires at (ms; terminal only), ARGV[14] now (ms), ARGV[15] how many expired entries to trim at most
-- Reply: 1 indexed | 0 the index holds this version or a newer one
local prefix, member = ARGV[1], ARGV[2]

local function unindex(m, entry)
  redis.call('ZREM', KEYS[2], m)
  redis.call('ZREM', KEYS[3], m)
  redis.call('ZREM', prefix .. 'state:' .. entry.s, m)
  redis.call('ZREM', prefix .. 'tenant:' .. entry.t, m)
  redis.call('ZREM', prefix .. 'type:' .. entry.y, m)
  redis.call('ZREM', prefix .. 'session:' .. entry.t .. ':' .. entry.e, m)
  redis.call('HDEL', KEYS[1], m)
end

local expired = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', ARGV[14], 'LIMIT', 0, ARGV[15])
for _, m in ipairs(expired) do
  local raw = redis.call('HGET', KEYS[1], m)
  if raw then
    unindex(m, cjson.decode(raw))
  else
    redis.call('ZREM', KEYS[3], m)
  end
end

local version = tonumber(ARGV[3])
local raw = redis.call('HGET', KEYS[1], member)
if raw then
  local old = cjson.decode(raw)
  if old.v >= version then
    return 0
  end
  if old.s ~= ARGV[4] then
    redis.call('ZREM', prefix .. 'state:' .. old.s, member)
  end
end
local updated = tonumber(ARGV[12])
redis.call('HSET', KEYS[1], member, cjson.encode({v = version, s = ARGV[4], x = tonumber(ARGV[5]), t = ARGV[6],
    i = string.sub(member, #ARGV[6] + 2), e = ARGV[7], y = ARGV[8], n = tonumber(ARGV[9]), o = ARGV[10], c = tonumber(ARGV[11]), u = updated}))
for key = 2, 7 do
  if key ~= 3 then
    redis.call('ZADD', KEYS[key], updated, member)
  end
end
if ARGV[5] == '1' then
  redis.call('ZADD', KEYS[3], ARGV[13], member)
else
  redis.call('ZREM', KEYS[3], member)
end
return 1
