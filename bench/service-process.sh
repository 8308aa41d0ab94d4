# Sourced by bench/http-sagas.sh and bench/health-under-load.sh: a throwaway Redis and the service jar as a process, the way
# runtime-service/bench/bench.sh starts them: WAL fsync ALWAYS in a temp dir, the examples on, the bench
# tenant's limits lifted, a throwaway API key. Cleans up everything it started on exit.
# After start_redis and start_service: $api, $mgmt, $BENCH_API_KEY, $REDIS_URI, $service_pid, $work.

source bench/common.sh
jar=runtime-service/target/runtime-service.jar
for tool in redis-server redis-cli wrk curl python3; do command -v $tool >/dev/null || { echo "missing: $tool"; exit 1; }; done
[ -f "$jar" ] || { echo "build first: ./mvnw -B -q -pl runtime-service -am package -DskipTests"; exit 1; }

work=$(mktemp -d /tmp/runtime-bench.XXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

start_redis() {
  local port; port=$(free_port)
  redis-server --port "$port" --save "" --appendonly no --dir "$work" --daemonize no >"$work/redis.log" 2>&1 &
  pids+=($!)
  until redis-cli -p "$port" ping >/dev/null 2>&1; do sleep 0.05; done
  export REDIS_URI="redis://127.0.0.1:$port"
}

# Starts the service on an empty WAL; extra environment (NAME=value ...) may be given as arguments.
start_service() {
  rm -rf "$work/wal"
  export LOG_LEVEL=WARN WAL_DIR="$work/wal" RUNTIME_SHUTDOWN_DRAIN_DELAY=0s RUNTIME_EXAMPLES_ENABLED=true \
    RUNTIME_LIMITS_TENANT_REQUESTS_PER_SECOND=1000000 RUNTIME_LIMITS_TENANT_REQUEST_BURST=1000000 \
    RUNTIME_LIMITS_TENANT_SESSIONS=0 RUNTIME_LIMITS_TENANT_EXECUTIONS=1024 RUNTIME_LIMITS_TENANT_STARTS_IN_FLIGHT=256
  export BENCH_API_KEY="rpk_bench_$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')"
  export RUNTIME_AUTH_API_KEYS="bench:$(printf '%s' "$BENCH_API_KEY" | sha256sum | cut -d' ' -f1)"
  local api_port mgmt_port admin_port; api_port=$(free_port); mgmt_port=$(free_port); admin_port=$(free_port)
  api="http://127.0.0.1:$api_port"; mgmt="http://127.0.0.1:$mgmt_port"
  env MICRONAUT_SERVER_PORT="$api_port" ENDPOINTS_ALL_PORT="$mgmt_port" RUNTIME_ADMIN_PORT="$admin_port" "$@" \
    "$java" "${SERVICE_GC:-$(service_gc_flag)}" -XX:+AutoCreateSharedArchive -XX:SharedArchiveFile="$work/runtime-service.jsa" -jar "$jar" \
    >"$work/service.log" 2>&1 &
  service_pid=$!
  pids+=($service_pid)
  local waited=0
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "$mgmt/health/ready")" = 200 ]; do
    sleep 0.05; waited=$((waited + 1))
    if [ $waited -gt 1200 ] || ! kill -0 $service_pid 2>/dev/null; then echo "the service did not start:"; grep -v "\[cds\]" "$work/service.log" | tail -30; exit 1; fi
  done
}

stop_service() {
  kill -TERM "$service_pid" 2>/dev/null || true
  wait "$service_pid" 2>/dev/null || true
}
