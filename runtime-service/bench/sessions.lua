-- Shared by the session-scoped scripts: thread N uses the N-th session of $BENCH_SESSIONS
-- (lines of "<sessionId> <token>" made by bench.sh).
local sessions = {}
for line in io.lines(os.getenv("BENCH_SESSIONS")) do
  local id, token = line:match("(%S+) (%S+)")
  sessions[#sessions + 1] = { id = id, token = token }
end
local next_index = 0
function setup(thread)
  next_index = next_index + 1
  thread:set("session_index", next_index)
end
function session()
  return sessions[((session_index or 1) - 1) % #sessions + 1]
end
