#!/usr/bin/env bash
# Issue 16 item 4: /health/ready and /health/live latency while CPU-bound saga steps AND API load saturate
# every core; every answer must be 200 (a 503 here is false: nothing is wrong, the machine is only busy).
#   Load: cpu-work sagas (2 x cores + 2 burning at once, resubmitted until the end) and wrk on state GET
#   (2 threads, 16 connections). Probes: one paced wrk per probe (bench/health-probe.lua, one request every
#   10 ms on one connection, both probes at once). Printed per probe: p50/p99/p99.9/max, non-2xx, socket
#   errors, and the CPU busy share and load average over the window.
#   Each round runs the service three times: "before" (ENDPOINTS_ALL_LOOP_SLICE_MICROS=0 and
#   RUNTIME_SAGA_STEP_THREAD_NICE=0: as before those settings existed), "after" (the defaults: the management
#   loop on a short CPU slice, step threads at nice 10, the collector of containers/jvm.options: G1) and "zgc"
#   (the defaults with generational ZGC instead: the alternative for a shorter tail, see containers/jvm.options).
# Usage (from the repository root, after ./mvnw -B -q -pl runtime-service -am package -DskipTests):
#   bench/health-under-load.sh [seconds of probing per run, default 10] [rounds, default 2] [warm-up seconds, default 20]
# The probes start after the warm-up at full load: with 2 s, the JIT compiler still took a share of the cores and
# the API served a third of its steady rate (1,400-1,900 against 4,000-5,100 state GETs/s), so the probes measured
# a service still starting, not one that is busy.
# Needs: JDK 25 (JAVA_HOME), redis-server, redis-cli, wrk, curl, python3.
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10}
rounds=${2:-2}
warm_up=${3:-20}
# The probing client stands in for the kubelet or the proxy, which do not share the service's CPU share; at
# PROBE_NICE=0 the client's own wait for a core under the saturating load is part of every figure.
probe_nice=${PROBE_NICE:-0}
source bench/service-process.sh

cpu_busy_ticks() { awk '/^cpu / {print $2+$3+$4+$7+$8, $2+$3+$4+$5+$6+$7+$8}' /proc/stat; }

open_sessions() { # 16 sessions for wrk, one line "<id> <token>" each
  for i in $(seq 1 16); do
    curl -s -XPOST "$api/v1/sessions" -H 'Content-Type: application/json' -H "Authorization: Bearer $BENCH_API_KEY" \
         -d '{"tenant":"bench","user":"health"}'
    echo
  done | python3 -c 'import json,sys
for line in sys.stdin:
    if line.strip():
        s = json.loads(line); print(s["sessionId"], s["token"])' >"$work/sessions.txt"
}

# Keeps one cpu-work saga burning until $1 (epoch seconds), each at most 5 s (the example's bound).
burn_until() {
  local sid token; read -r sid token < "$work/sessions.txt"
  while [ "$(date +%s)" -lt "$1" ]; do
    curl -s -o /dev/null -XPOST "$api/v1/sessions/$sid/intents" -H "Authorization: Bearer $token" \
         -H 'Content-Type: application/json' -d '{"type":"cpu-work","payload":{"millis":5000}}'
    sleep 5
  done
}

probe() { # path -> PROBE line
  PROBE_INTERVAL_MS=10 nice -n "$probe_nice" wrk -t1 -c1 -d"${duration}s" -s bench/health-probe.lua "$mgmt$1" | grep '^PROBE'
}

measure() { # label, then extra service environment
  local label=$1; shift
  start_service "$@"
  open_sessions
  export BENCH_SESSIONS="$work/sessions.txt"
  local end=$(( $(date +%s) + warm_up + duration + 1 )) loaders=()
  for _ in $(seq 1 $(( $(nproc) * 2 + 2 ))); do burn_until "$end" & loaders+=($!); done
  wrk -t2 -c16 -d"$(( warm_up + duration + 1 ))s" -s runtime-service/bench/state-get.lua "$api" >"$work/api-load.txt" & loaders+=($!)
  sleep "$warm_up" # the burners are running, wrk is at full rate and the JIT has compiled the hot paths
  read -r busy0 all0 < <(cpu_busy_ticks)
  probe /health/ready >"$work/ready.txt" &
  local ready_pid=$!
  probe /health/live >"$work/live.txt"
  wait $ready_pid
  read -r busy1 all1 < <(cpu_busy_ticks)
  local load; load=$(cut -d' ' -f1 /proc/loadavg)
  wait "${loaders[@]}"
  local api_rate; api_rate=$(awk '/Requests\/sec/ {printf "%.0f", $2}' "$work/api-load.txt")
  printf '%-7s ready %s\n' "$label" "$(sed 's/^PROBE //' "$work/ready.txt")"
  printf '%-7s live  %s\n' "$label" "$(sed 's/^PROBE //' "$work/live.txt")"
  printf '%-7s CPU busy %d%%, load average %s, API load %s req/s (state GET)\n' "$label" \
    $(( 100 * (busy1 - busy0) / (all1 - all0) )) "$load" "$api_rate"
  # A probe that answered non-2xx: the service logged which component went DOWN, and why.
  grep -h ' DOWN' "$work/service.log" | sed "s/^/$label  service log: /" | head -5 || true
  stop_service
}

echo "== health probes under CPU-bound steps + API load, $(date -u '+%Y-%m-%d %H:%M UTC'), machine: $(machine)"
start_redis
for round in $(seq 1 "$rounds"); do
  echo "-- round $round"
  measure before ENDPOINTS_ALL_LOOP_SLICE_MICROS=0 RUNTIME_SAGA_STEP_THREAD_NICE=0
  measure after
  SERVICE_GC=-XX:+UseZGC measure zgc
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
