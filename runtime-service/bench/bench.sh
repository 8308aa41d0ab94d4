#!/usr/bin/env bash
# Service benchmarks: figures printed, nothing asserted.
#   1. time from process start to /health/ready 200 (empty WAL), 5 runs
#   2. wrk on session create, state GET, state PUT (If-Match) and intent submit: req/s and latency
#   3. /health/ready latency while CPU-bound saga steps saturate every core
# Usage (from the repository root, after ./mvnw -B -q package -DskipTests):
#   runtime-service/bench/bench.sh [seconds per wrk run, default 10]
# Needs: JDK 25 (JAVA_HOME), redis-server, wrk, curl, python3.
set -euo pipefail
cd "$(dirname "$0")/../.."
duration=${1:-10}
java="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
jar=runtime-service/target/runtime-service.jar
scripts=runtime-service/bench
for tool in redis-server wrk curl python3; do command -v $tool >/dev/null || { echo "missing: $tool"; exit 1; }; done
[ -f "$jar" ] || { echo "build first: ./mvnw -B -q package -DskipTests"; exit 1; }

work=$(mktemp -d /tmp/service-bench.XXXX)
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

redis_port=$(free_port)
redis-server --port "$redis_port" --save "" --appendonly no --dir "$work" --daemonize no >"$work/redis.log" 2>&1 &
pids+=($!)
until redis-cli -p "$redis_port" ping >/dev/null 2>&1; do sleep 0.05; done
export REDIS_URI="redis://127.0.0.1:$redis_port" LOG_LEVEL=WARN
# The example sagas are the load; one tenant sends it all, so its limits are lifted to measure the raw path.
export RUNTIME_EXAMPLES_ENABLED=true RUNTIME_LIMITS_TENANT_REQUESTS_PER_SECOND=1000000 \
  RUNTIME_LIMITS_TENANT_REQUEST_BURST=1000000 RUNTIME_LIMITS_TENANT_SESSIONS=0 \
  RUNTIME_LIMITS_TENANT_EXECUTIONS=1024 RUNTIME_LIMITS_TENANT_STARTS_IN_FLIGHT=256
# Opening a session needs a tenant API key: a throwaway one for the bench tenant, provisioned by its hash.
export BENCH_API_KEY="rpk_bench_$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')"
export RUNTIME_AUTH_API_KEYS="bench:$(printf '%s' "$BENCH_API_KEY" | sha256sum | cut -d' ' -f1)"
api_port=$(free_port); mgmt_port=$(free_port)
export MICRONAUT_SERVER_PORT=$api_port ENDPOINTS_ALL_PORT=$mgmt_port
api="http://127.0.0.1:$api_port"; mgmt="http://127.0.0.1:$mgmt_port"

echo "== machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== 1. process start -> /health/ready 200 (empty WAL, Redis up)"
echo "   runs 1-3 without a class-data archive; run 4 writes one at exit (as the README command does); runs 5-7 use it"
cds=(-XX:+AutoCreateSharedArchive -XX:SharedArchiveFile="$work/runtime-service.jsa")
for run in 1 2 3 4 5 6 7; do
  rm -rf "$work/wal"; export WAL_DIR="$work/wal"
  flags=(); [ "$run" -ge 4 ] && flags=("${cds[@]}")
  start=$(date +%s%N)
  "$java" "${flags[@]}" -jar "$jar" >"$work/service-$run.log" 2>&1 &
  pid=$!
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "$mgmt/health/ready")" = 200 ]; do sleep 0.01; done
  echo "run $run: $(( ($(date +%s%N) - start) / 1000000 )) ms"
  kill -TERM $pid; wait $pid || true
done

echo "== 2. wrk, ${duration}s each (latency distribution in ms)"
rm -rf "$work/wal"; export WAL_DIR="$work/wal" RUNTIME_SHUTDOWN_DRAIN_DELAY=0s
"$java" "${cds[@]}" -jar "$jar" >"$work/service.log" 2>&1 &
pids+=($!)
until [ "$(curl -s -o /dev/null -w '%{http_code}' "$mgmt/health/ready")" = 200 ]; do sleep 0.05; done
for i in $(seq 1 16); do
  curl -s -XPOST "$api/v1/sessions" -H 'Content-Type: application/json' -H "Authorization: Bearer $BENCH_API_KEY" \
       -d '{"tenant":"bench","user":"wrk"}'
  echo
done | python3 -c 'import json,sys
for line in sys.stdin:
    if line.strip():
        s = json.loads(line); print(s["sessionId"], s["token"])' >"$work/sessions.txt"
export BENCH_SESSIONS="$work/sessions.txt"
run_wrk() { # name threads connections script
  printf -- '-- %s (%s connections)\n' "$1" "$3"
  wrk -t"$2" -c"$3" -d"${duration}s" --latency -s "$scripts/$4" "$api" | grep -E 'Requests/sec|^ +(50|90|99)%|Non-2xx|errors'
}
run_wrk "session create" 2 16 session-create.lua
run_wrk "state GET" 2 16 state-get.lua
run_wrk "state PUT with If-Match (one session per connection)" 16 16 state-put.lua
run_wrk "intent submit (trip-booking, WAL fsync ALWAYS)" 2 16 intent-submit.lua

echo "== 3. /health/ready while cpu-work steps saturate every core"
read -r sid token < "$work/sessions.txt"
burners=$(( $(nproc) * 2 + 2 ))
submits=()
for i in $(seq 1 "$burners"); do
  curl -s -o /dev/null -XPOST "$api/v1/sessions/$sid/intents" -H "Authorization: Bearer $token" \
       -H 'Content-Type: application/json' -d "{\"type\":\"cpu-work\",\"payload\":{\"millis\":$(( (duration + 4) * 1000 > 5000 ? 5000 : (duration + 4) * 1000 ))}}" &
  submits+=($!)
done
sleep 1
echo "load during the probe: $(cut -d' ' -f1 /proc/loadavg) (1-min average)"
wrk -t1 -c1 -d"$(( duration < 4 ? duration : 4 ))s" --latency "$mgmt/health/ready" | grep -E 'Requests/sec|^ +(50|75|90|99)%|Non-2xx|errors'
wait "${submits[@]}" # not a bare wait: the service and Redis run in the background until cleanup
