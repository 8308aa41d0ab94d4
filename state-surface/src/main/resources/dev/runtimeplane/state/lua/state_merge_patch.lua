-- Applies an RFC 7396 JSON merge patch to a session's committed state document, atomically, and
-- stages the result as the pending next version (see state_write: readers see it once state_commit
-- promotes it).
-- KEYS[1] the state hash (fields as in state_write)
-- ARGV[1] the expected version, or '' to patch whatever version is current
-- ARGV[2] the patch (valid JSON without surrounding whitespace, checked by the caller)
-- ARGV[3] the size limit of the merged document, in bytes
-- ARGV[4] the pending id, or '' to commit at once (a surface without a journal)
-- ARGV[5] after how many ms a pending version counts as stalled
-- Reply: {0, new version, merged document} | {1} no such session
--      | {2, taken version} version conflict | {3, merged size} too large
--      | {9} another write's version is pending (no expected version given): wait for it
--      | {10, pending version, pending id, pending document} a stalled pending version (see state_write)
--
-- The merge works on JSON text, not on values decoded with cjson: cjson turns [] into {} and
-- rounds numbers to 14 digits, which would silently change members the patch does not name.
-- Here only the members the patch names are rewritten; all others are copied byte for byte.
local OK, NOT_FOUND, VERSION_CONFLICT, TOO_LARGE, PENDING, STALLED = 0, 1, 2, 3, 9, 10
local QUOTE, BACKSLASH, OPEN_BRACE, CLOSE_BRACE, OPEN_BRACKET = 34, 92, 123, 125, 91

-- The index of the first non-whitespace byte at or after i.
local function skip_space(s, i)
  return string.find(s, '[^ \t\r\n]', i) or #s + 1
end

-- The index just past the string literal that starts at i.
local function skip_string(s, i)
  local j = i + 1
  while true do
    local k = string.find(s, '["\\]', j)
    if string.byte(s, k) == QUOTE then
      return k + 1
    end
    j = k + 2 -- a backslash escapes the byte after it
  end
end

-- The index just past the JSON value that starts at i.
local function skip_value(s, i)
  local c = string.byte(s, i)
  if c == QUOTE then
    return skip_string(s, i)
  end
  if c == OPEN_BRACE or c == OPEN_BRACKET then
    local depth, j = 0, i
    while true do
      local k = string.find(s, '[%[%]{}"]', j)
      local b = string.byte(s, k)
      if b == QUOTE then
        j = skip_string(s, k)
      else
        depth = depth + ((b == OPEN_BRACE or b == OPEN_BRACKET) and 1 or -1)
        j = k + 1
        if depth == 0 then
          return j
        end
      end
    end
  end
  return string.find(s, '[,%]} \t\r\n]', i) or #s + 1 -- a number, true, false or null
end

-- A member name as text to compare: escapes are decoded so that "a" and "\u0061" are one name.
local function member_name(literal)
  if string.find(literal, '\\', 1, true) then
    return cjson.decode(literal)
  end
  return string.sub(literal, 2, -2)
end

-- The members of the object text s, in order, as {name literal, name, value text}.
local function members(s)
  local list = {}
  local i = skip_space(s, 2)
  if string.byte(s, i) == CLOSE_BRACE then
    return list
  end
  while true do
    local name_end = skip_string(s, i)
    local value_start = skip_space(s, skip_space(s, name_end) + 1) -- past the ':'
    local value_end = skip_value(s, value_start)
    local literal = string.sub(s, i, name_end - 1)
    list[#list + 1] = {literal, member_name(literal), string.sub(s, value_start, value_end - 1)}
    i = skip_space(s, value_end)
    if string.byte(s, i) == CLOSE_BRACE then
      return list
    end
    i = skip_space(s, i + 1) -- past the ','
  end
end

local function is_object(text)
  return string.byte(text, 1) == OPEN_BRACE
end

-- RFC 7396 MergePatch(target, patch); target is nil when the member does not exist.
local function merge(target, patch)
  if not is_object(patch) then
    return patch
  end
  if target == nil or not is_object(target) then
    target = '{}'
  end
  local patch_members = members(patch)
  local patch_by_name = {}
  for _, member in ipairs(patch_members) do
    patch_by_name[member[2]] = member
  end
  local out = {}
  for _, member in ipairs(members(target)) do
    local change = patch_by_name[member[2]]
    if change == nil then
      out[#out + 1] = member[1] .. ':' .. member[3]
    else
      change.applied = true
      if change[3] ~= 'null' then
        out[#out + 1] = member[1] .. ':' .. merge(member[3], change[3])
      end
    end
  end
  for _, change in ipairs(patch_members) do
    if not change.applied and change[3] ~= 'null' then
      out[#out + 1] = change[1] .. ':' .. merge(nil, change[3])
    end
  end
  return '{' .. table.concat(out, ',') .. '}'
end

local state = redis.call('HMGET', KEYS[1], 'v', 'doc', 'pv', 'pat')
if not state[1] then
  return {NOT_FOUND}
end
local version = tonumber(state[1])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
if state[3] then
  if now - tonumber(state[4]) >= tonumber(ARGV[5]) then
    local pending = redis.call('HMGET', KEYS[1], 'pid', 'pdoc')
    return {STALLED, tonumber(state[3]), pending[1], pending[2]}
  end
  if ARGV[1] ~= '' then
    return {VERSION_CONFLICT, tonumber(state[3])}
  end
  return {PENDING}
end
if ARGV[1] ~= '' and version ~= tonumber(ARGV[1]) then
  return {VERSION_CONFLICT, version}
end
local merged = merge(state[2], ARGV[2])
if #merged > tonumber(ARGV[3]) then
  return {TOO_LARGE, #merged}
end
if ARGV[4] == '' then
  redis.call('HSET', KEYS[1], 'v', version + 1, 'doc', merged)
else
  redis.call('HSET', KEYS[1], 'pv', version + 1, 'pdoc', merged, 'pid', ARGV[4], 'pat', now)
end
return {OK, version + 1, merged}
