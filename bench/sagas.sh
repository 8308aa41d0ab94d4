#!/usr/bin/env bash
# Issue 16 items 1 and 2: durable 3-step no-op sagas in-process (saga module's SagaBenchmark: WAL fsync ALWAYS in a
# temp dir, a fresh redis-server without persistence) beside DBOS Transact on PostgreSQL (../shared/peers/dbos-bench)
# in the same run, at 64 and at 1 in flight. Prints sagas/s, latency percentiles, Redis script calls and commands per
# saga, and the ratios to DBOS.
# Both sides share one disk whose fsync latency drifts from minute to minute on a shared host, which moves the
# 1-in-flight latencies (four or five fsyncs each) more than anything either side does: so 1 in flight runs in
# ROUNDS rounds that alternate which side goes first (the sagas split between them), and the summary shows every
# round and the median of the rounds' ratios. 64 in flight is CPU-bound and runs once, each side after a warm-up
# as long as its measurement (a fresh JVM needs it to be measured at its steady speed).
# Usage (from the repository root, after ./mvnw -B -q -pl runtime-service -am package -DskipTests):
#   bench/sagas.sh [sagas at 64 in flight, default 20000] [sagas at 1 in flight, default 3000]
# Environment: ROUNDS (at 1 in flight, default 3), PEERS (default ../shared/peers), NO_PEER=1 skips DBOS. Needs:
# JDK 25, redis-server, python3; DBOS needs root (it installs and starts PostgreSQL).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh
many=${1:-20000}
one=${2:-3000}
rounds=${ROUNDS:-3}
peers=${PEERS:-../shared/peers}
work=$(mktemp -d /tmp/saga-bench.XXXX)
trap 'rm -rf "$work"' EXIT

declare -A ours dbos # RESULT lines by "<in flight>:<round>"

run_dbos() { # in flight, round, sagas, warm-up
  [ "${NO_PEER:-0}" = 1 ] && return
  local out
  out=$("$peers/dbos-bench/run.sh" "$3" "$1" "$4" 2>/dev/null)
  grep -E '^(throughput|latency)' <<<"$out" | sed "s/^/   DBOS $1 in flight, round $2: /"
  dbos[$1:$2]=$(grep '^RESULT' <<<"$out")
}

run_ours() { # in flight, round, sagas, warm-up
  local port out
  port=$(free_port)
  redis-server --port "$port" --save "" --appendonly no --dir "$work" --daemonize yes --logfile "$work/redis.log" >/dev/null
  until redis-cli -p "$port" ping >/dev/null 2>&1; do sleep 0.05; done
  out=$(REDIS_URI="redis://127.0.0.1:$port" "$java" -cp "$(saga_bench_classpath)" dev.runtimeplane.saga.bench.SagaBenchmark \
    "$3" "$1" "$4" 2>/dev/null)
  redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true
  grep -Ev '^RESULT|^[0-9:.]+ (INFO|WARN) ' <<<"$out" | sed "s/^saga benchmark:/saga benchmark, round $2:/"
  ours[$1:$2]=$(grep '^RESULT' <<<"$out")
}

echo "== sagas in-process beside DBOS, $(date -u '+%Y-%m-%d %H:%M UTC'), machine: $(machine), $rounds rounds at 1 in flight"
rounds_at() { [ "$1" = 1 ] && echo "$rounds" || echo 1; }
for conc in 64 1; do
  total=$([ $conc = 1 ] && echo "$one" || echo "$many")
  per=$(( total / $(rounds_at $conc) ))
  # At 64 in flight both sides warm up with as many sagas as they then measure. With a fifth, the JIT compiler took
  # about 40% of our JVM's CPU over the run (async-profiler) and we measured 2,071 sagas/s against 3,692 after a
  # full-length warm-up (DBOS: 577/s during its warm-up, 754/s after it). At 1 in flight SagaBenchmark compiles at
  # 64 first, and both sides' latencies are their commits'.
  warmup=$(( conc == 1 ? (per / 5 > 500 ? per / 5 : 500) : per ))
  for round in $(seq 1 "$(rounds_at $conc)"); do
    if (( round % 2 )); then
      run_dbos "$conc" "$round" "$per" "$warmup"; run_ours "$conc" "$round" "$per" "$warmup"
    else
      run_ours "$conc" "$round" "$per" "$warmup"; run_dbos "$conc" "$round" "$per" "$warmup"
    fi
  done
done

echo
echo "== summary: 3-step no-op sagas, start to terminal, both durable (fsync per commit), same $(nproc) cores"
printf '%-26s %9s %9s %9s %9s %16s\n' "" "sagas/s" "p50 ms" "p99 ms" "max ms" "Redis per saga"
for conc in 64 1; do
  ratios=()
  for round in $(seq 1 "$(rounds_at $conc)"); do
    o=${ours[$conc:$round]}
    printf '%-26s %9.0f %9s %9s %9s %16s\n' "ours, $conc in flight, r$round" "$(value "$o" sagas_per_s)" \
      "$(value "$o" p50_ms)" "$(value "$o" p99_ms)" "$(value "$o" max_ms)" \
      "$(value "$o" scripts_per_saga) calls, $(value "$o" commands_per_saga) cmds"
    if [ -n "${dbos[$conc:$round]:-}" ]; then
      d=${dbos[$conc:$round]}
      printf '%-26s %9.0f %9s %9s %9s\n' "DBOS, $conc in flight, r$round" "$(value "$d" wf_per_s)" \
        "$(value "$d" p50_ms)" "$(value "$d" p99_ms)" "$(value "$d" max_ms)"
      ratios+=("$(value "$o" sagas_per_s)/$(value "$d" wf_per_s) $(value "$o" p50_ms)/$(value "$d" p50_ms) $(value "$o" p99_ms)/$(value "$d" p99_ms)")
    fi
  done
  if [ ${#ratios[@]} -gt 0 ]; then
    printf '%s\n' "${ratios[@]}" | python3 -c '
import statistics, sys
def ratio(text):
    ours, peer = text.split("/")
    return float(ours) / float(peer)
rows = [[ratio(x) for x in line.split()] for line in sys.stdin if line.strip()]
line = "%-26s %8.1fx %8.2fx %8.2fx"
if len(rows) == 1:
    print(line % ("ratio", *rows[0]) + "   (ours / DBOS)")
else:
    for row in rows:
        print(line % ("  ratio of the round", *row))
    print(line % ("ratio, median of rounds", *[statistics.median(c) for c in zip(*rows)]) + "   (ours / DBOS)")'
  fi
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
