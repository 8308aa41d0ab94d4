#!/usr/bin/env bash
# Issue 16 items 1 and 2: durable 3-step no-op sagas in-process (saga module's SagaBenchmark: WAL fsync ALWAYS in a
# temp dir, a fresh redis-server without persistence) beside DBOS Transact on PostgreSQL (../shared/peers/dbos-bench)
# in the same run, at 64 and at 1 in flight. Prints sagas/s, latency percentiles, Redis script calls and commands per
# saga, and the ratios to DBOS.
# Usage (from the repository root, after ./mvnw -B -q -pl runtime-service -am package -DskipTests):
#   bench/sagas.sh [sagas at 64 in flight, default 20000] [sagas at 1 in flight, default 2000]
# Environment: PEERS (default ../shared/peers), NO_PEER=1 skips DBOS. Needs: JDK 25, redis-server, python3; DBOS
# needs root (it installs and starts PostgreSQL).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh
many=${1:-20000}
one=${2:-2000}
peers=${PEERS:-../shared/peers}
work=$(mktemp -d /tmp/saga-bench.XXXX)
trap 'rm -rf "$work"' EXIT

echo "== sagas in-process beside DBOS, $(date -u '+%Y-%m-%d %H:%M UTC'), machine: $(machine)"
declare -A ours dbos
for conc in 64 1; do
  total=$([ $conc = 1 ] && echo "$one" || echo "$many")
  warmup=$(( total / 5 > 200 ? total / 5 : 200 ))
  if [ "${NO_PEER:-0}" != 1 ]; then
    out=$("$peers/dbos-bench/run.sh" "$total" "$conc" "$warmup" 2>/dev/null)
    grep -E '^(throughput|latency)' <<<"$out" | sed "s/^/   DBOS $conc in flight: /"
    dbos[$conc]=$(grep '^RESULT' <<<"$out")
  fi
  port=$(free_port)
  redis-server --port "$port" --save "" --appendonly no --dir "$work" --daemonize yes --logfile "$work/redis.log" >/dev/null
  until redis-cli -p "$port" ping >/dev/null 2>&1; do sleep 0.05; done
  out=$(REDIS_URI="redis://127.0.0.1:$port" "$java" -cp "$(saga_bench_classpath)" dev.runtimeplane.saga.bench.SagaBenchmark \
    "$total" "$conc" "$warmup" 2>/dev/null)
  redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true
  grep -Ev '^RESULT|^[0-9:.]+ (INFO|WARN) ' <<<"$out"
  ours[$conc]=$(grep '^RESULT' <<<"$out")
done

echo
echo "== summary: 3-step no-op sagas, start to terminal, both durable (fsync per commit), same $(nproc) cores"
printf '%-22s %9s %9s %9s %9s %16s\n' "" "sagas/s" "p50 ms" "p99 ms" "max ms" "Redis per saga"
for conc in 64 1; do
  o=${ours[$conc]}
  printf '%-22s %9.0f %9s %9s %9s %16s\n' "ours, $conc in flight" "$(value "$o" sagas_per_s)" "$(value "$o" p50_ms)" \
    "$(value "$o" p99_ms)" "$(value "$o" max_ms)" "$(value "$o" scripts_per_saga) calls, $(value "$o" commands_per_saga) cmds"
  if [ -n "${dbos[$conc]:-}" ]; then
    d=${dbos[$conc]}
    printf '%-22s %9.0f %9s %9s %9s\n' "DBOS, $conc in flight" "$(value "$d" wf_per_s)" "$(value "$d" p50_ms)" \
      "$(value "$d" p99_ms)" "$(value "$d" max_ms)"
    python3 -c "print(f'{\"ratio\":22} {$(value "$o" sagas_per_s)/$(value "$d" wf_per_s):8.1f}x {$(value "$o" p50_ms)/$(value "$d" p50_ms):8.2f}x {$(value "$o" p99_ms)/$(value "$d" p99_ms):8.2f}x   (ours / DBOS)')"
  fi
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
