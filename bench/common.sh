# Sourced by the bench scripts: the JDK, free ports, the machine line, RESULT-line fields, and the classpath
# of the modules' benchmark programs (their classes plus the service's libraries: nothing installed).
java="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
machine() { echo "$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg)"; }
# A field of a RESULT line: value "$line" sagas_per_s
value() { sed -E "s/.* $2=([0-9.]+).*/\1/" <<<"$1"; }
saga_bench_classpath() {
  [ -f saga/target/test-classes/dev/runtimeplane/saga/bench/SagaBenchmark.class ] && [ -d runtime-service/target/lib ] \
    || { echo "build first: ./mvnw -B -q -pl runtime-service -am package -DskipTests" >&2; exit 1; }
  echo "saga/target/test-classes:saga/target/classes:runtime-core/target/classes:wal/target/classes:state-surface/target/classes:runtime-test-kit/target/classes:$(ls runtime-service/target/lib/*.jar | grep -v -- '-SNAPSHOT.jar$' | tr '\n' ':')"
}
# The garbage collector the service runs with in its container image (containers/jvm.options), for the bench
# scripts that start the service jar themselves.
service_gc_flag() {
  grep -m1 -E '^-XX:\+Use[A-Za-z0-9]+GC$' containers/jvm.options || { echo "no -XX:+Use...GC line in containers/jvm.options" >&2; exit 1; }
}
