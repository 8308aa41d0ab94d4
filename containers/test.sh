#!/usr/bin/env bash
# Container test: builds the image from the Dockerfile and checks, with Redis in a container, what issue 14
# asks of it. Prints one PASS/FAIL line per check and a timing summary; exits non-zero on the first FAIL.
#
#   containers/test.sh            (needs a Docker engine: DOCKER_HOST as usual, and docker-compose or
#                                  `docker compose`; base images eclipse-temurin:25-jdk/-jre and redis:7)
#
# Every container uses host networking (works where no bridge network exists, e.g. an engine started with
# --bridge=none) on fixed ports: 29001 (HAProxy), 29080-29082 and 29379 (one replica and its Redis), and
# those of containers/compose.host.yml (291xx, 292xx, 29380). The compose part runs
# docker-compose.yml with containers/compose.host.yml on top (host networking, distinct ports) and puts
# HAProxy from the host in front instead of Traefik (no Traefik image is needed).
# Everything it creates (containers, volumes, the compose project) is removed on exit, pass or fail.
# It waits for events by polling with an overall limit; no fixed sleep is a proof.
set -euo pipefail
cd "$(dirname "$0")/.."

DOCKER=${DOCKER:-docker}
IMAGE=${IMAGE:-runtime-plane:local}
REDIS_PORT=29379                       # the single-replica checks' Redis
API=29080 MGMT=29081 ADMIN=29082
PROXY=29001                            # HAProxy in front of the compose replicas
PROJECT=rp-container-test
NAME=rp-ct                             # prefix of this test's containers and volumes
DRAIN_DELAY=3 DRAIN_TIMEOUT=10 STOP_TIMEOUT=40
if command -v docker-compose >/dev/null; then COMPOSE=(docker-compose); else COMPOSE=("$DOCKER" compose); fi
COMPOSE+=(-p "$PROJECT" -f docker-compose.yml -f containers/compose.host.yml)
WORK=$(mktemp -d)
HAPROXY_PID=""
# A tenant API key for this test; the replicas are given only its hash, as in production.
KEY="rpk_container_test_$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export RUNTIME_AUTH_API_KEYS="acme:$(printf %s "$KEY" | sha256sum | cut -d' ' -f1)"   # read by docker-compose.yml

log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*"; }
pass() { log "PASS $*"; }
fail() { log "FAIL $*"; exit 1; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

cleanup() {
  local status=$?
  set +e
  if [ $status -ne 0 ]; then
    for c in $("$DOCKER" ps -a --filter "name=$NAME-" --format '{{.Names}}') $("${COMPOSE[@]}" ps -q 2>/dev/null); do
      echo "---- last log lines of $c"; "$DOCKER" logs --tail 30 "$c" 2>&1
    done
  fi
  [ -n "$HAPROXY_PID" ] && kill "$HAPROXY_PID" 2>/dev/null
  "${COMPOSE[@]}" down -v --remove-orphans >/dev/null 2>&1
  "$DOCKER" rm -f -v $("$DOCKER" ps -aq --filter "name=$NAME-") >/dev/null 2>&1
  "$DOCKER" volume rm -f $("$DOCKER" volume ls -q --filter "name=$NAME-") >/dev/null 2>&1
  rm -rf "$WORK"
  exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# wait_for SECONDS DESCRIPTION COMMAND...: polls COMMAND every 0.2 s until it succeeds or SECONDS pass.
wait_for() {
  local limit=$1 what=$2; shift 2
  local deadline=$(( $(date +%s) + limit ))
  until "$@" >/dev/null 2>&1; do
    [ "$(date +%s)" -lt "$deadline" ] || fail "$what (not within ${limit}s)"
    sleep 0.2
  done
}
health() { "$DOCKER" inspect -f '{{.State.Health.Status}}' "$1"; }
is_health() { [ "$(health "$1")" = "$2" ]; }
status_of() { curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$1" || true; }
is_status() { [ "$(status_of "$1")" = "$2" ]; }
redis_up() { "$DOCKER" exec "$1" redis-cli -p "$2" ping | grep -q PONG; }

run_replica() {  # run_replica NAME: the image on API/MGMT/ADMIN with the WAL volume $NAME-wal
  "$DOCKER" run -d --name "$1" --network host --stop-timeout "$STOP_TIMEOUT" \
    -e REDIS_URI="redis://127.0.0.1:$REDIS_PORT" -e RUNTIME_REPLICA_ID=replica-a -e RUNTIME_AUTH_API_KEYS \
    -e MICRONAUT_SERVER_PORT=$API -e ENDPOINTS_ALL_PORT=$MGMT -e RUNTIME_ADMIN_PORT=$ADMIN \
    -e RUNTIME_SHUTDOWN_DRAIN_DELAY=${DRAIN_DELAY}s -e RUNTIME_SHUTDOWN_DRAIN_TIMEOUT=${DRAIN_TIMEOUT}s \
    -v "$NAME-wal:/var/lib/runtime-plane/wal" "$IMAGE" >/dev/null
}

# Ports below the kernel's ephemeral range (32768+), so no test elsewhere on the machine takes them at random.
for port in $PROXY $API $MGMT $ADMIN $REDIS_PORT 29180 29181 29182 29280 29281 29282 29380; do
  ! ss -Hltn "sport = :$port" | grep -q . || fail "port $port is free (something listens on it: $(ss -Hltnp "sport = :$port"))"
done

# ---- 1. build -------------------------------------------------------------------------------------
log "building $IMAGE (docker build --network host)"
t=$(now)
DOCKER_BUILDKIT=1 "$DOCKER" build --network host -q -t "$IMAGE" . >"$WORK/build.log" 2>&1 \
  || { cat "$WORK/build.log"; fail "the image builds"; }
BUILD_SECONDS=$(since "$t")
IMAGE_MB=$(( $("$DOCKER" image inspect -f '{{.Size}}' "$IMAGE") / 1000000 ))
pass "the image builds (${BUILD_SECONDS}s, ${IMAGE_MB} MB)"

# The heap ceiling on a big host (MaxRAM stands in for a 64 GB machine): 75%, capped so that compressed oops
# stay on, the mode the class-data archive was made with.
flags=$("$DOCKER" run --rm --network host --entrypoint java "$IMAGE" @/app/jvm.options -XX:MaxRAM=64g \
        -XX:+PrintFlagsFinal -version 2>/dev/null)
heap=$(awk '$2 == "MaxHeapSize" { print $4 }' <<<"$flags")
oops=$(awk '$2 == "UseCompressedOops" { print $4 }' <<<"$flags")
[ "$oops" = true ] && [ "$heap" -lt $((32 * 1024 * 1024 * 1024)) ] \
  || fail "on a 64 GB host the heap stays below 32 GB with compressed oops (heap $heap, compressed oops $oops)"
pass "on a 64 GB host: heap $((heap / 1024 / 1024)) MB, compressed oops on (the class-data archive's mode)"

# ---- 2. one replica with Redis in a container -----------------------------------------------------
"$DOCKER" run -d --name "$NAME-redis" --network host redis:7 \
  redis-server --port "$REDIS_PORT" --appendonly yes --appendfsync always >/dev/null
wait_for 30 "Redis answers" redis_up "$NAME-redis" "$REDIS_PORT"

t=$(now)
run_replica "$NAME-a"
first=$(health "$NAME-a")
[ "$first" = starting ] || fail "health starts as 'starting' (was '$first')"
wait_for 120 "the replica turns healthy" is_health "$NAME-a" healthy
HEALTHY_SECONDS=$(since "$t")
pass "health goes starting -> healthy, probing ENDPOINTS_ALL_PORT=$MGMT (${HEALTHY_SECONDS}s from docker run)"

pid=$("$DOCKER" inspect -f '{{.State.Pid}}' "$NAME-a")
uid=$(awk '/^Uid:/ { print $2 }' "/proc/$pid/status" 2>/dev/null || "$DOCKER" exec "$NAME-a" id -u)
user=$("$DOCKER" inspect -f '{{.Config.User}}' "$NAME-a")
[ "$uid" != 0 ] && [ -n "$user" ] && [ "$user" != root ] || fail "runs as non-root (uid $uid, USER '$user')"
pass "runs as non-root (USER $user, uid $uid)"

"$DOCKER" logs "$NAME-a" >"$WORK/a.log" 2>&1
jq -e . >/dev/null 2>&1 <"$WORK/a.log" && ! grep -qv '^{' "$WORK/a.log" \
  || { grep -v '^{' "$WORK/a.log" | head -3; fail "every log line is JSON"; }
grep -q 'Picked up' "$WORK/a.log" && fail "no 'Picked up JAVA_TOOL_OPTIONS' line"
pass "every log line is JSON ($(wc -l <"$WORK/a.log") lines, no 'Picked up' line)"

# A session with state, acknowledged before the kill below.
curl -sf -XPOST "http://127.0.0.1:$API/v1/sessions" -H 'Content-Type: application/json' -H "Authorization: Bearer $KEY" \
     -d '{"user":"ada","ttlSeconds":3600}' >"$WORK/session.json" || fail "open a session"
SID=$(jq -r .sessionId "$WORK/session.json")
AUTH="Authorization: Bearer $(jq -r .token "$WORK/session.json")"
curl -sf -XPUT "http://127.0.0.1:$API/v1/sessions/$SID/state" -H "$AUTH" -H 'If-Match: "0"' \
     -H 'Content-Type: application/json' -d '{"cart":["book"],"written":"before the kill"}' >/dev/null \
  || fail "write the session state"
state_is_back() {
  curl -sf "http://127.0.0.1:$API/v1/sessions/$SID/state" -H "$AUTH" | jq -e '.written == "before the kill"'
}

# Redis stopped: readiness DOWN, so Docker health turns unhealthy, while liveness stays 200.
t=$(now)
"$DOCKER" stop -t 5 "$NAME-redis" >/dev/null
wait_for 30 "unhealthy once Redis is stopped" is_health "$NAME-a" unhealthy
UNHEALTHY_SECONDS=$(since "$t")
live=$(status_of "http://127.0.0.1:$MGMT/health/live")
[ "$live" = 200 ] || fail "liveness stays 200 while Redis is down (was $live)"
pass "Redis stopped -> unhealthy in ${UNHEALTHY_SECONDS}s; /health/live stays 200"

t=$(now)
"$DOCKER" start "$NAME-redis" >/dev/null
wait_for 60 "healthy again once Redis is back" is_health "$NAME-a" healthy
pass "Redis back -> healthy in $(since "$t")s"

# docker kill: no drain, no flush. Redis then loses its data too, so the session can come back only from
# the WAL volume, which a new container (same volume) replays.
"$DOCKER" kill "$NAME-a" >/dev/null
"$DOCKER" rm -v "$NAME-a" >/dev/null
"$DOCKER" exec "$NAME-redis" redis-cli -p "$REDIS_PORT" FLUSHALL >/dev/null
t=$(now)
run_replica "$NAME-a"
wait_for 120 "the new container turns healthy" is_health "$NAME-a" healthy
wait_for 30 "the session state written before the kill is back" state_is_back
pass "WAL volume survives docker kill: a new container replayed the session and its state into an emptied Redis ($(since "$t")s)"

# docker stop: readiness 503 first (while the process still serves), the phases logged as JSON, exit 0
# within the grace period.
t=$(now)
"$DOCKER" stop "$NAME-a" >"$WORK/stop.out" 2>&1 &
stop_pid=$!
wait_for 10 "readiness answers 503 after docker stop" is_status "http://127.0.0.1:$MGMT/health/ready" 503
live=$(status_of "http://127.0.0.1:$MGMT/health/live")
[ "$live" = 200 ] || fail "liveness 200 while draining (was $live)"
pass "docker stop: readiness 503 after $(since "$t")s while liveness stays 200"
wait "$stop_pid" || fail "docker stop returns"
STOP_SECONDS=$(since "$t")
exit_code=$("$DOCKER" inspect -f '{{.State.ExitCode}}' "$NAME-a")
[ "$exit_code" = 0 ] || fail "exit 0 after docker stop (was $exit_code)"
awk -v s="$STOP_SECONDS" -v limit="$STOP_TIMEOUT" 'BEGIN { exit !(s < limit) }' || fail "stopped within the grace period"
"$DOCKER" logs "$NAME-a" 2>&1 | jq -r '.formattedMessage // empty' >"$WORK/stop.log" 2>/dev/null \
  || fail "the stop log parses as JSON"
for phase in "readiness DOWN" "drain delay" "refuse new intents" "finish or park" "flush and fsync the write-ahead log" \
             "close the coordinator" "drain complete"; do
  grep -q "$phase" "$WORK/stop.log" || fail "phase '$phase' in the JSON log"
done
order=$(grep -n -e "shutdown phase 'readiness DOWN'" -e "drain complete" "$WORK/stop.log" | cut -d: -f1 | tr '\n' ' ')
[ "$(echo "$order" | awk '{ print ($1 < $2) }')" = 1 ] || fail "readiness DOWN is the first phase"
pass "docker stop drains: exit 0 in ${STOP_SECONDS}s (grace ${STOP_TIMEOUT}s), every phase in the JSON log"
"$DOCKER" rm -f -v "$NAME-a" "$NAME-redis" >/dev/null

# ---- 3. the compose stack: two replicas, one stopped, the other keeps serving ---------------------
"${COMPOSE[@]}" up -d --no-build redis runtime-1 runtime-2 >"$WORK/compose.log" 2>&1 \
  || { cat "$WORK/compose.log"; fail "docker-compose up"; }
c1=$("${COMPOSE[@]}" ps -q runtime-1) c2=$("${COMPOSE[@]}" ps -q runtime-2)
wait_for 120 "runtime-1 healthy" is_health "$c1" healthy
wait_for 120 "runtime-2 healthy" is_health "$c2" healthy
pass "compose: both replicas healthy"

# HAProxy stands in for Traefik: the same health check (/health/ready on the management port, every 1 s).
cat >"$WORK/haproxy.cfg" <<EOF
global
  maxconn 256
defaults
  mode http
  timeout connect 1s
  timeout client 10s
  timeout server 10s
  retries 2
  option redispatch
  retry-on conn-failure                 # only when the request cannot have reached a replica
frontend api
  bind 127.0.0.1:$PROXY
  default_backend replicas
backend replicas
  option httpchk GET /health/ready
  default-server inter 1s fall 1 rise 1
  server runtime-1 127.0.0.1:29180 check port 29181
  server runtime-2 127.0.0.1:29280 check port 29281
EOF
haproxy -q -f "$WORK/haproxy.cfg" -db >"$WORK/haproxy.log" 2>&1 &
HAPROXY_PID=$!
wait_for 30 "HAProxy serves" is_status "http://127.0.0.1:$PROXY/v1/intent-types" 200

# A client opens sessions through the proxy without pause while runtime-1 is stopped.
( while :; do
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 -XPOST "http://127.0.0.1:$PROXY/v1/sessions" \
           -H 'Content-Type: application/json' -H "Authorization: Bearer $KEY" -d '{"user":"load"}' || true)
    echo "$code" >>"$WORK/load.codes"
  done ) &
load_pid=$!
wait_for 30 "the client is served" test -s "$WORK/load.codes"
t=$(now)
"${COMPOSE[@]}" stop runtime-1 >/dev/null 2>&1
STOP1_SECONDS=$(since "$t")
before=$(wc -l <"$WORK/load.codes")
wait_for 30 "the client is served after runtime-1 stopped" \
  bash -c "[ \$(wc -l <'$WORK/load.codes') -ge $((before + 20)) ]"
kill "$load_pid"; wait "$load_pid" 2>/dev/null || true
total=$(wc -l <"$WORK/load.codes"); failed=$(grep -vc '^201$' "$WORK/load.codes" || true)
exit1=$("$DOCKER" inspect -f '{{.State.ExitCode}}' "$c1")
[ "$exit1" = 0 ] || fail "runtime-1 exits 0 (was $exit1)"
is_health "$c2" healthy || fail "runtime-2 stays healthy"
[ "$failed" = 0 ] || { sort "$WORK/load.codes" | uniq -c; fail "every request served while runtime-1 stopped"; }
pass "compose: runtime-1 stopped (exit 0, ${STOP1_SECONDS}s); runtime-2 served all $total requests, none failed"

echo
echo "== container test passed: build ${BUILD_SECONDS}s, image ${IMAGE_MB} MB, docker run -> healthy ${HEALTHY_SECONDS}s," \
     "Redis stop -> unhealthy ${UNHEALTHY_SECONDS}s, docker stop -> exit 0 ${STOP_SECONDS}s"
