#!/usr/bin/env bash
# The benchmark suite (issue 16): every figure with its peer baseline, measured in one run on this machine.
#   1. the machine's floors: the disk's fsync, Redis with and without appendfsync always (../shared/peers)
#   2. sagas in-process at 64 and 1 in flight beside DBOS Transact on PostgreSQL      (bench/sagas.sh)
#   3. sagas through the HTTP API (SSE and polling) beside the in-process figure       (bench/http-sagas.sh)
#   4. /health/ready and /health/live while steps and API load saturate every core    (bench/health-under-load.sh)
#   5. scale: memory, WAL, start to ready, rebuild and write latency with much data    (bench/scale.sh)
# Figures are printed, never asserted. Run on an otherwise idle machine: the ratios to the baselines printed in
# the same run are what count.
# Usage (from anywhere; builds the service first unless SKIP_BUILD=1):
#   bench/run.sh [quick|full]
#     quick (default, about 10 minutes here): 20,000 sagas at 64 in flight; scale at 100,000 sessions / 10,000 executions
#     full (about 30 minutes here): the same with scale at 1,000,000 sessions / 100,000 executions
# Needs root (DBOS installs and starts PostgreSQL), JDK 25, redis-server, redis-tools, wrk, fio, curl, python3.
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-quick}
case $size in
  quick) sessions=100000; executions=10000 ;;
  full) sessions=1000000; executions=100000 ;;
  *) echo "usage: $0 [quick|full]"; exit 2 ;;
esac
peers=${PEERS:-../shared/peers}
export PEERS=$peers

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
  ./mvnw -B -q -pl runtime-service -am package -DskipTests
fi
source bench/common.sh
echo "#### Runtime Plane benchmark suite ($size), $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
echo "#### machine: $(machine), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
section() { echo; echo "#### $*"; }

section "1. baselines: disk fsync floor, Redis (../shared/peers/baselines.sh)"
"$peers/baselines.sh" disk
"$peers/baselines.sh" redis
section "2. sagas in-process beside DBOS"
bench/sagas.sh 20000 3000
section "3. sagas through the HTTP API"
bench/http-sagas.sh 10000 2000
section "4. health under saturation"
bench/health-under-load.sh 10 2
section "5. scale: $sessions sessions, $executions finished executions"
bench/scale.sh "$sessions" "$executions"
echo
echo "#### done $(date -u '+%Y-%m-%d %H:%M UTC'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
