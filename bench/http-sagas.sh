#!/usr/bin/env bash
# Issue 16 item 3: 3-step no-op sagas through the HTTP API, submit to terminal, beside the in-process figure.
#   The service jar runs as a process (real Redis, WAL fsync ALWAYS in a temp dir); bench/HttpSagas.java opens
#   one session per client with an API key and runs a closed loop at 64 and at 1 in flight: submit `noop-3`,
#   wait until terminal (following the SSE stream, then polling the status, to compare the two ways to wait).
#   Then, the service stopped, the saga module's SagaBenchmark runs the same saga in-process on the same Redis.
# Usage (from the repository root, after ./mvnw -B -q -pl runtime-service -am package -DskipTests):
#   bench/http-sagas.sh [sagas per run, default 5000] [warm-up sagas per run, default 1000]
# Needs: JDK 25 (JAVA_HOME), redis-server, redis-cli, curl, python3.
set -euo pipefail
cd "$(dirname "$0")/.."
total=${1:-5000}
warmup=${2:-1000}
source bench/service-process.sh

# One in-flight level is a small run: at 1 in flight a tenth of the sagas (at least 200) gives a stable p99.
sagas_at() { [ "$1" = 1 ] && echo $(( total / 10 > 200 ? total / 10 : 200 )) || echo "$total"; }
warmup_at() { [ "$1" = 1 ] && echo $(( warmup / 10 > 50 ? warmup / 10 : 50 )) || echo "$warmup"; }

echo "== HTTP sagas, $(date -u '+%Y-%m-%d %H:%M UTC'), machine: $(machine)"
start_redis
start_service
# Prints a run's figures and keeps its RESULT line in $result.
run_and_keep() { local out; out=$("$@"); grep -Ev '^RESULT|^[0-9:.]+ INFO ' <<<"$out"; result=$(grep '^RESULT' <<<"$out"); }
declare -A http in_process
for wait_by in sse poll; do
  for conc in 64 1; do
    run_and_keep "$java" bench/HttpSagas.java "$api" "$BENCH_API_KEY" "$(sagas_at $conc)" "$conc" "$(warmup_at $conc)" $wait_by
    http[$wait_by,$conc]=$result
  done
done
stop_service
for conc in 64 1; do
  run_and_keep "$java" -cp "$(saga_bench_classpath)" dev.runtimeplane.saga.bench.SagaBenchmark "$(sagas_at $conc)" "$conc" \
    "$(warmup_at $conc)"
  in_process[$conc]=$result
done

echo
echo "== summary: noop-3 sagas, submit to terminal (HTTP: service process + Redis + this load generator on $(nproc) cores)"
printf '%-28s %10s %10s %10s %10s   %s\n' "" "sagas/s" "p50 ms" "p90 ms" "p99 ms" "HTTP / in-process"
for conc in 64 1; do
  ip=${in_process[$conc]}
  printf '%-28s %10.0f %10s %10s %10s\n' "in-process, $conc in flight" "$(value "$ip" sagas_per_s)" "$(value "$ip" p50_ms)" \
    "-" "$(value "$ip" p99_ms)"
  for wait_by in sse poll; do
    h=${http[$wait_by,$conc]}
    ratio=$(python3 -c "print(f'throughput {$(value "$h" sagas_per_s)/$(value "$ip" sagas_per_s):.2f}x, p50 {$(value "$h" p50_ms)/$(value "$ip" p50_ms):.2f}x, p99 {$(value "$h" p99_ms)/$(value "$ip" p99_ms):.2f}x')")
    printf '%-28s %10.0f %10s %10s %10s   %s\n' "HTTP $wait_by, $conc in flight" "$(value "$h" sagas_per_s)" \
      "$(value "$h" p50_ms)" "$(value "$h" p90_ms)" "$(value "$h" p99_ms)" "$ratio"
  done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
