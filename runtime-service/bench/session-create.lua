-- POST /v1/sessions with a small JSON body.
wrk.method = "POST"
wrk.path = "/v1/sessions"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"tenant":"bench","user":"wrk","metadata":{"source":"wrk"}}'
