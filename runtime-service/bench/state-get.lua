-- GET /v1/sessions/{id}/state with the session's bearer token.
dofile("runtime-service/bench/sessions.lua")
function request()
  local s = session()
  return wrk.format("GET", "/v1/sessions/" .. s.id .. "/state", { ["Authorization"] = "Bearer " .. s.token })
end
