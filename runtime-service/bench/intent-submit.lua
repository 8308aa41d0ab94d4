-- POST /v1/sessions/{id}/intents: each request starts a trip-booking saga (durable before the 202).
dofile("runtime-service/bench/sessions.lua")
function request()
  local s = session()
  return wrk.format("POST", "/v1/sessions/" .. s.id .. "/intents",
    { ["Authorization"] = "Bearer " .. s.token, ["Content-Type"] = "application/json" },
    '{"type":"trip-booking","payload":{"traveller":"wrk"}}')
end
