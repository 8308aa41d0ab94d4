-- POST /v1/sessions with a small JSON body and the bench tenant's API key (bench.sh provisions it).
wrk.method = "POST"
wrk.path = "/v1/sessions"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_API_KEY")
wrk.body = '{"tenant":"bench","user":"wrk","metadata":{"source":"wrk"}}'
