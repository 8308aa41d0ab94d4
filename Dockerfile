# Runtime Plane service image: built with JDK 25 through the Maven wrapper, run on a JRE 25.
# Build:  docker build -t runtime-plane:local .
# (Where containers have no bridge network, add --network host: the build fetches Maven artifacts.)

# ---- build ------------------------------------------------------------------------------------
FROM eclipse-temurin:25-jdk AS build
WORKDIR /src
# Dependency cache layer: only the build files, so source edits do not re-download dependencies.
# Every module's pom.xml is listed: a module missing here fails the reactor below.
COPY mvnw pom.xml ./
COPY .mvn .mvn
COPY runtime-core/pom.xml runtime-core/
COPY runtime-test-kit/pom.xml runtime-test-kit/
COPY wal/pom.xml wal/
COPY state-surface/pom.xml state-surface/
COPY saga/pom.xml saga/
COPY declarative/pom.xml declarative/
COPY runtime-service/pom.xml runtime-service/
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -q dependency:go-offline -DexcludeReactor=true
COPY . .
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -q package -Dmaven.test.skip=true

# ---- runtime ----------------------------------------------------------------------------------
FROM eclipse-temurin:25-jre
# curl is what the HEALTHCHECK below runs; installed explicitly so the check never depends on what the
# base image happens to ship.
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 runtime \
    && useradd --system --uid 10001 --gid runtime --home-dir /app --shell /usr/sbin/nologin runtime \
    && mkdir -p /var/lib/runtime-plane/wal /app/cds && chown -R runtime:runtime /var/lib/runtime-plane /app/cds
WORKDIR /app
# Libraries change less often than the application: two layers.
COPY --from=build /src/runtime-service/target/lib/ /app/lib/
COPY --from=build /src/runtime-service/target/runtime-service.jar /app/runtime-service.jar
# The JVM options, in an argument file read by the ENTRYPOINT and by the training run below (the archive
# is only used with the options it was made with). Not JAVA_TOOL_OPTIONS or JDK_JAVA_OPTIONS: the JVM
# announces those with a plain-text "Picked up ..." line, which would break the JSON-only log.
COPY containers/jvm.options /app/jvm.options

# The write-ahead log must outlive the container: one volume per replica.
VOLUME /var/lib/runtime-plane/wal
USER runtime
# Class-data sharing: one training start at build time records the classes the service loads into an
# archive, so every container starts about twice as fast. The service starts without Redis (readiness
# stays 503), so the training run needs nothing else. Random ports (the build may share the host's
# network); the SIGTERM goes once Micronaut reports the startup complete, the drain interrupts the
# components' wait for Redis, and the exit writes the archive. The build fails unless the exit is 0.
RUN RUNTIME_SHUTDOWN_DRAIN_DELAY=0s REDIS_URI=redis://127.0.0.1:1 WAL_DIR=/tmp/training-wal \
    MICRONAUT_SERVER_PORT=-1 ENDPOINTS_ALL_PORT=0 RUNTIME_ADMIN_PORT=0 \
      java @/app/jvm.options -jar /app/runtime-service.jar >/tmp/training.log 2>&1 & pid=$!; \
    for i in $(seq 1 600); do grep -q 'Startup completed' /tmp/training.log && break; kill -0 $pid || break; sleep 0.2; done; \
    kill -TERM $pid; wait $pid; status=$?; \
    if [ $status -ne 0 ] || [ ! -s /app/cds/runtime-service.jsa ]; then \
      echo "class-data training run failed (exit $status):"; cat /tmp/training.log; exit 1; fi; \
    rm -rf /tmp/training-wal /tmp/training.log
ENV WAL_DIR=/var/lib/runtime-plane/wal \
    LOG_FORMAT=json
EXPOSE 8080 8081

# Readiness, not liveness: a draining or Redis-less replica reports unhealthy so Docker-aware proxies
# (Traefik's Docker provider) stop routing to it. Interval and timeout match the Traefik labels. Shell
# form, so the probe follows ENDPOINTS_ALL_PORT when the management port is moved.
HEALTHCHECK --interval=2s --timeout=1s --start-period=30s --retries=1 \
    CMD curl -fsS -o /dev/null --max-time 1 "http://127.0.0.1:${ENDPOINTS_ALL_PORT:-8081}/health/ready" || exit 1

# Exec form: the JVM is PID 1 and receives SIGTERM from `docker stop` itself (no shell in between).
# `docker stop` waits 10 s by default; the drain needs drain-delay + drain-timeout (25 s by default):
# run with --stop-timeout 40 (compose: stop_grace_period; Kubernetes: terminationGracePeriodSeconds).
ENTRYPOINT ["java", "@/app/jvm.options", "-jar", "/app/runtime-service.jar"]
