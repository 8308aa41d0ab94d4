-- Stages a replacement of a session's state document if its version is the expected one: the new
-- version is *pending* (readers still see the committed one) until state_commit promotes it, once
-- its journal record is durable. A pending version counts as taken: a write expecting the committed
-- version while the next one is pending is a conflict.
-- KEYS[1] the state hash {v, doc = committed version and JSON text; pv, pdoc, pid, pat = pending
--         version, document, id and staging time (ms); cid = id of the last promoted pending version}
-- ARGV[1] the expected version
-- ARGV[2] the new document (valid JSON; size already checked by the caller)
-- ARGV[3] the pending id, or '' to commit at once (a surface without a journal)
-- ARGV[4] after how many ms a pending version counts as stalled (its writer died or stalls)
-- Reply: {0, new version} staged (or committed) | {1} no such session
--      | {2, taken version} version conflict | {10, pending version, pending id, pending document} a
--        stalled pending version: journal it, promote it, then try again
local OK, NOT_FOUND, VERSION_CONFLICT, STALLED = 0, 1, 2, 10

local state = redis.call('HMGET', KEYS[1], 'v', 'pv', 'pat')
if not state[1] then
  return {NOT_FOUND}
end
local version = tonumber(state[1])
if state[2] then
  local time = redis.call('TIME')
  local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
  if now - tonumber(state[3]) >= tonumber(ARGV[4]) then
    local pending = redis.call('HMGET', KEYS[1], 'pid', 'pdoc')
    return {STALLED, tonumber(state[2]), pending[1], pending[2]}
  end
  return {VERSION_CONFLICT, tonumber(state[2])}
end
if version ~= tonumber(ARGV[1]) then
  return {VERSION_CONFLICT, version}
end
-- HSET keeps the key's TTL, so the state still expires with its session.
if ARGV[3] == '' then
  redis.call('HSET', KEYS[1], 'v', version + 1, 'doc', ARGV[2])
else
  local time = redis.call('TIME')
  local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
  redis.call('HSET', KEYS[1], 'pv', version + 1, 'pdoc', ARGV[2], 'pid', ARGV[3], 'pat', now)
end
return {OK, version + 1}
