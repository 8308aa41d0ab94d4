#!/usr/bin/env bash
# Scale benchmark (issue 16, item 5): figures printed, nothing asserted.
# The service jar runs as a process on its own redis-server (no persistence) and a WAL in a temp dir:
#   1. start to /health/ready 200 with an empty WAL; state PUT p50/p99 on the empty service
#   2. fill N live sessions, each with a state document, then M finished executions (rates printed)
#   3. Redis used_memory and WAL size per session and per execution
#   4. state PUT p50/p99 at that size
#   5. SIGTERM, start again on the same WAL and Redis: start to ready with that WAL
#   6. FLUSHALL while the service runs: time until ready again and a sample reads back; rebuild rate
# Usage (from the repository root, after ./mvnw -B -q package -DskipTests):
#   bench/scale.sh [sessions, default 1000000] [executions, default 100000]
# Environment: SCALE_INTENT (default cpu-work), SCALE_STATE_BYTES (default 256), SCALE_CONCURRENCY (64),
#   SCALE_WRITES (timed state writes per measurement, default 10000).
# Needs: JDK 25 (JAVA_HOME), redis-server, redis-cli, curl, python3.
set -euo pipefail
cd "$(dirname "$0")/.."
sessions=${1:-1000000}
executions=${2:-100000}
intent=${SCALE_INTENT:-cpu-work} # the cheapest example: one step of 1 ms CPU (trip-booking: 3 steps)
state_bytes=${SCALE_STATE_BYTES:-256}
concurrency=${SCALE_CONCURRENCY:-64}
writes=${SCALE_WRITES:-10000}
source bench/common.sh
jar=runtime-service/target/runtime-service.jar
for tool in redis-server redis-cli curl python3; do command -v $tool >/dev/null || { echo "missing: $tool"; exit 1; }; done
[ -f "$jar" ] || { echo "build first: ./mvnw -B -q package -DskipTests"; exit 1; }

work=$(mktemp -d /tmp/scale-bench.XXXX)
redis_pid=""; service_pid=""
cleanup() {
  for p in $service_pid $redis_pid; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
bench_start=$(date +%s)

redis_port=$(free_port)
redis-server --port "$redis_port" --save "" --appendonly no --dir "$work" --daemonize no >"$work/redis.log" 2>&1 &
redis_pid=$!
until redis-cli -p "$redis_port" ping >/dev/null 2>&1; do sleep 0.05; done
rcli() { redis-cli -p "$redis_port" "$@"; }
used_memory() { rcli info memory | awk -F: '/^used_memory:/ {print $2+0}'; }

# WARN keeps the access log out; the runtime's own INFO lines say how long its replays took.
export REDIS_URI="redis://127.0.0.1:$redis_port" LOG_LEVEL=WARN LOGGER_LEVELS_DEV_RUNTIMEPLANE=INFO WAL_DIR="$work/wal" RUNTIME_SHUTDOWN_DRAIN_DELAY=0s
# One tenant sends everything, so its limits are lifted (as runtime-service/bench/bench.sh does), and this
# replica may track every session of the fill in its journal.
export RUNTIME_EXAMPLES_ENABLED=true RUNTIME_LIMITS_TENANT_REQUESTS_PER_SECOND=1000000 \
  RUNTIME_LIMITS_TENANT_REQUEST_BURST=1000000 RUNTIME_LIMITS_TENANT_SESSIONS=0 \
  RUNTIME_LIMITS_TENANT_EXECUTIONS=1024 RUNTIME_LIMITS_TENANT_STARTS_IN_FLIGHT=256 \
  RUNTIME_SESSIONS_MAX_TRACKED=$(( sessions + 1000 ))
export BENCH_API_KEY="rpk_bench_$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')"
export RUNTIME_AUTH_API_KEYS="bench:$(printf '%s' "$BENCH_API_KEY" | sha256sum | cut -d' ' -f1)"
api_port=$(free_port); mgmt_port=$(free_port); export RUNTIME_ADMIN_PORT=$(free_port)
export MICRONAUT_SERVER_PORT=$api_port ENDPOINTS_ALL_PORT=$mgmt_port
api="http://127.0.0.1:$api_port"; mgmt="http://127.0.0.1:$mgmt_port"
# Compiled once: the source launcher would compile it again on every call (seconds of CPU).
"${java%/java}/javac" -d "$work/load" bench/scale/ScaleLoad.java
load() { "$java" -XX:+UseSerialGC -cp "$work/load" ScaleLoad "$@"; }
ready() { [ "$(curl -s -o /dev/null -w '%{http_code}' "$mgmt/health/ready")" = 200 ]; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# Starts the service; started_ms = milliseconds from process start to /health/ready 200.
start_service() {
  local start; start=$(now_ms)
  "$java" "$(service_gc_flag)" -jar "$jar" >"$work/service.log" 2>&1 &
  service_pid=$!
  until ready; do
    kill -0 "$service_pid" 2>/dev/null || { echo "service exited; log:" >&2; tail -30 "$work/service.log" >&2; exit 1; }
    sleep 0.01
  done
  started_ms=$(( $(now_ms) - start ))
}
stop_service() { kill -TERM "$service_pid"; wait "$service_pid" || true; service_pid=""; }
# Segments are preallocated (zero-filled to their full size): count what is written, up to each file's last non-zero byte.
wal_bytes() {
  python3 - "$work/wal" <<'PY'
import os, sys
total = 0
for name in os.listdir(sys.argv[1]):
    with open(os.path.join(sys.argv[1], name), 'rb') as f:
        end = f.seek(0, 2)
        while end > 0:
            f.seek(max(0, end - (1 << 20)))
            chunk = f.read(end - max(0, end - (1 << 20))).rstrip(b'\0')
            if chunk:
                end = max(0, end - (1 << 20)) + len(chunk)
                break
            end = max(0, end - (1 << 20))
        total += end
print(total)
PY
}
wal_disk() { du -sb "$work/wal" | cut -f1; }
per() { python3 -c "import sys; d=int(sys.argv[2]); print(f'{int(sys.argv[1])/d:,.0f}' if d else '-')" "$1" "$2"; }
service_rss() { awk '/VmRSS/ {printf "%.0f MiB", $2/1024}' "/proc/$service_pid/status"; }

echo "== machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "== sizes: $sessions sessions (state ~$state_bytes B each), $executions finished $intent executions, $concurrency in flight"

echo "== 1. empty service"
start_service; empty_start_ms=$started_ms
echo "start to ready, empty WAL: $empty_start_ms ms"
load sessions "$api" "$BENCH_API_KEY" 256 16 "$state_bytes" "$work/warm-sessions.txt" >/dev/null
load writes "$api" "$work/warm-sessions.txt" $(( writes / 4 + 1 )) "$concurrency" "$state_bytes" >/dev/null # JIT warm-up, not counted
printf 'empty (256 sessions):      '; load writes "$api" "$work/warm-sessions.txt" "$writes" "$concurrency" "$state_bytes"

echo "== 2. fill"
memory_empty=$(used_memory); wal_empty=$(wal_bytes)
load sessions "$api" "$BENCH_API_KEY" "$sessions" "$concurrency" "$state_bytes" "$work/sessions.txt"
memory_sessions=$(used_memory); wal_sessions=$(wal_bytes)
load executions "$api" "$work/sessions.txt" "$executions" "$concurrency" "$intent" "$work/executions.txt"
wal_full=$(wal_bytes)
sleep 11 # past the lease TTL (10 s): finished executions' leases expire
echo "WAL appended in 11 s with no client writing (session carry-forward at rest): $(( $(wal_bytes) - wal_full )) B"
memory_full=$(used_memory)

echo "== 3. size"
echo "Redis used_memory: empty $memory_empty B, after sessions $memory_sessions B, after executions $memory_full B"
echo "Redis per session (with its state): $(per $(( memory_sessions - memory_empty )) "$sessions") B"
echo "Redis per finished execution:       $(per $(( memory_full - memory_sessions )) "$executions") B"
# Keys by kind (ids replaced by *), to see what an item costs and what a rebuild gives back.
key_kinds() { rcli --scan | sed -E 's/[0-9A-Za-z_-]{16,}/*/g' | sort | uniq -c | sort -rn | head -15; }
key_kinds >"$work/kinds-full.txt"
keys_full=$(rcli dbsize)
echo "Redis keys: $keys_full; service RSS $(service_rss)"
echo "WAL: $wal_full B written ($(wal_disk) B on disk, $(ls "$work/wal" | wc -l) files, segments preallocated); per session $(per $(( wal_sessions - wal_empty )) "$sessions") B, per execution $(per $(( wal_full - wal_sessions )) "$executions") B"

echo "== 4. state PUT at that size"
printf 'full (%s sessions): ' "$sessions"; load writes "$api" "$work/sessions.txt" "$writes" "$concurrency" "$state_bytes"

echo "== 5. restart on the same WAL and Redis"
stop_service
echo "WAL after the stop: $(wal_bytes) B"
start_service; full_start_ms=$started_ms
echo "start to ready: empty WAL $empty_start_ms ms, with this WAL $full_start_ms ms; service RSS $(service_rss)"
# The service's own lines about its replays, from line ${1:-1} of its log on.
replay_log() { tail -n +"${1:-1}" "$work/service.log" | grep -E 'replayed in|recovering|restored|rebuilt|started in' | cut -c1-220 | sed 's/^/   service: /' || true; }
replay_log

echo "== 6. Redis loses everything (FLUSHALL) while the service runs"
log_mark=$(( $(wc -l <"$work/service.log") + 1 ))
rebuild_start=$(now_ms)
rcli flushall >/dev/null
# the health probe notices the lost epoch within its interval (0.5 s); a rebuild may also end before we look
for _ in $(seq 1 300); do ready || break; sleep 0.01; done
until ready; do sleep 0.01; done
rebuild_ms=$(( $(now_ms) - rebuild_start ))
echo "rebuild: $(( sessions + executions )) sessions + executions, FLUSHALL to ready in $rebuild_ms ms = $(per $(( (sessions + executions) * 1000 )) "$rebuild_ms") items/s"
load readback "$api" "$work/sessions.txt" "$work/executions.txt" 1000
sleep 1; replay_log "$log_mark"
key_kinds >"$work/kinds-rebuilt.txt"
echo "Redis keys by kind, before the FLUSHALL | after the rebuild:"
paste -d'|' "$work/kinds-full.txt" "$work/kinds-rebuilt.txt" | sed 's/^/   /'
echo "Redis after the rebuild: used_memory $(used_memory) B, $(rcli dbsize) keys (before the FLUSHALL $memory_full B, $keys_full keys)"
echo "== done in $(( $(date +%s) - bench_start )) s, load $(cut -d' ' -f1-3 /proc/loadavg)"
