-- PUT /v1/sessions/{id}/state with If-Match: each thread owns one session and one connection, and
-- sends the ETag of its previous answer, so every write is a successful compare-and-set.
dofile("runtime-service/bench/sessions.lua")
local etag = nil
function request()
  local s = session()
  local headers = { ["Authorization"] = "Bearer " .. s.token, ["Content-Type"] = "application/json" }
  if etag == nil then
    return wrk.format("GET", "/v1/sessions/" .. s.id .. "/state", headers)
  end
  headers["If-Match"] = etag
  return wrk.format("PUT", "/v1/sessions/" .. s.id .. "/state", headers, '{"cart":["book","pen"],"step":3}')
end
function response(status, headers, body)
  etag = headers["ETag"] or headers["etag"]
end
