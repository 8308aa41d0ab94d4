package dev.runtimeplane.declarative.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.runtimeplane.core.component.HealthStatus;
import dev.runtimeplane.core.id.ExecutionId;
import dev.runtimeplane.core.id.SessionId;
import dev.runtimeplane.core.id.TenantId;
import dev.runtimeplane.core.port.ExecutionKey;
import dev.runtimeplane.declarative.DefinitionLoader;
import dev.runtimeplane.declarative.DefinitionParser;
import dev.runtimeplane.declarative.HttpSagaFactory;
import dev.runtimeplane.declarative.OutboundPolicy;
import dev.runtimeplane.saga.ExecutionView;
import dev.runtimeplane.saga.SagaCoordinator;
import dev.runtimeplane.saga.SagaCoordinatorOptions;
import dev.runtimeplane.saga.SagaDefinition;
import dev.runtimeplane.saga.SagaOwner;
import dev.runtimeplane.saga.SagaRegistry;
import dev.runtimeplane.saga.SagaState;
import dev.runtimeplane.state.StateSurface;
import dev.runtimeplane.state.StateSurfaceOptions;
import dev.runtimeplane.testkit.RedisServer;
import dev.runtimeplane.testkit.RedisTestKit;
import dev.runtimeplane.wal.FsyncPolicy;
import dev.runtimeplane.wal.WalOptions;
import dev.runtimeplane.wal.WriteAheadLog;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;

/**
 * HTTP sagas of 3 steps (each a POST to a local fake service with a JSON body built from templates) beside
 * Java no-op sagas of 3 steps, in the same process, on the same coordinator, WAL (fsync ALWAYS, temp dir)
 * and Redis ({@code REDIS_URI}, else a {@code redis-server} started on a free port). Closed loop:
 * {@code concurrency} clients each start a saga with a unique idempotency key, wait until it is terminal,
 * and start the next, for {@code seconds}; each kind is warmed up first. The fake service is a JDK
 * {@code HttpServer} on 127.0.0.1 with a virtual-thread executor, in this process: its CPU is counted in
 * the figures. Prints sagas/s, latency from start to terminal, CPU per saga, and the overhead per HTTP step
 * (the difference to the no-op saga, divided by 3). Information, not a test.
 *
 * <pre>
 * ./mvnw -q -o -pl declarative -am test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
 * java -cp declarative/target/test-classes:declarative/target/classes:$(cat declarative/target/bench.classpath) \
 *     dev.runtimeplane.declarative.bench.HttpSagaBenchmark 15 64 5      # seconds per kind, in flight, warm-up seconds
 * </pre>
 */
public final class HttpSagaBenchmark {

    private static final SagaOwner OWNER = new SagaOwner(TenantId.of("bench"), SessionId.of("bench-session"));
    private static final String PAYLOAD = "{\"orderId\":\"o-1\",\"customerId\":\"c-42\",\"amount\":{\"value\":3998,"
            + "\"currency\":\"EUR\"}}";

    private HttpSagaBenchmark() {
    }

    /** One kind's measured run. Latencies sorted, in nanoseconds. */
    private record Run(String kind, int sagas, double seconds, long[] latencies, long cpuNanos) {
        double perSecond() {
            return sagas / seconds;
        }

        double meanMillis() {
            return Arrays.stream(latencies).average().orElse(0) / 1e6;
        }

        double percentileMillis(double quantile) {
            return latencies[Math.min(latencies.length - 1, (int) Math.ceil(quantile * latencies.length) - 1)] / 1e6;
        }

        double cpuMicrosPerSaga() {
            return cpuNanos / 1e3 / sagas;
        }
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        int warmupSeconds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        String configured = System.getenv("REDIS_URI");
        RedisServer ownRedis = configured == null || configured.isBlank() ? RedisTestKit.startServer() : null;
        String redisUri = ownRedis != null ? ownRedis.uri() : configured;
        Path walDir = Files.createTempDirectory("http-saga-bench-wal");
        LongAdder served = new LongAdder();
        HttpServer service = fakeService(served);
        String url = "http://127.0.0.1:" + service.getAddress().getPort();
        OutboundPolicy policy = OutboundPolicy.builder().allow(url).build();
        SagaDefinition noop = SagaDefinition.builder("bench-noop", 1)
                .step("a", ctx -> "a").step("b", ctx -> "b").step("c", ctx -> "c").build();
        SagaRegistry registry = new SagaRegistry().register(noop);
        try (HttpSagaFactory factory = new HttpSagaFactory(policy, name -> Optional.empty(), (tenant, session) -> Map.of());
             WriteAheadLog wal = WriteAheadLog.open(WalOptions.builder(walDir).fsyncPolicy(FsyncPolicy.ALWAYS).build());
             StateSurface surface = new StateSurface(StateSurfaceOptions.builder().redisUri(redisUri)
                     .keyPrefix("http-bench-" + System.nanoTime()).build())) {
            new DefinitionLoader(new DefinitionParser(policy)).load(Map.of("bench-http.yaml", definition(url)))
                    .registerAll(registry, factory);
            surface.start();
            awaitUp(surface);
            SagaCoordinator coordinator = new SagaCoordinator(registry, wal, surface.executions(),
                    SagaCoordinatorOptions.builder("bench-replica").concurrency(1024).build());
            coordinator.start();
            run(coordinator, "bench-noop", warmupSeconds, concurrency);
            run(coordinator, "bench-http", warmupSeconds, concurrency);
            Run java = run(coordinator, "bench-noop", seconds, concurrency);
            long servedBefore = served.sum();
            Run http = run(coordinator, "bench-http", seconds, concurrency);
            long calls = served.sum() - servedBefore;
            coordinator.close();

            System.out.printf("HTTP saga benchmark: 3-step sagas, %d in flight, %d s each, WAL fsync ALWAYS, Redis %s,"
                    + " %d cores%n", concurrency, seconds, redisUri, Runtime.getRuntime().availableProcessors());
            for (Run run : new Run[] {java, http}) {
                System.out.printf("  %-10s %,7.0f sagas/s   p50 %6.2f ms   p99 %6.2f ms   mean %6.2f ms   CPU %,6.0f µs/saga%n",
                        run.kind(), run.perSecond(), run.percentileMillis(0.50), run.percentileMillis(0.99),
                        run.meanMillis(), run.cpuMicrosPerSaga());
            }
            System.out.printf("  HTTP calls served: %.2f per saga%n", calls / (double) http.sagas());
            System.out.printf("  overhead per HTTP step: %.2f ms latency (p50), %.2f ms (mean), %,.0f µs CPU"
                            + " (the fake service's share included)%n",
                    (http.percentileMillis(0.50) - java.percentileMillis(0.50)) / 3,
                    (http.meanMillis() - java.meanMillis()) / 3, (http.cpuMicrosPerSaga() - java.cpuMicrosPerSaga()) / 3);
            System.out.printf("RESULT http_saga conc=%d java_per_s=%.1f java_p50_ms=%.2f java_p99_ms=%.2f http_per_s=%.1f"
                            + " http_p50_ms=%.2f http_p99_ms=%.2f%n", concurrency, java.perSecond(),
                    java.percentileMillis(0.50), java.percentileMillis(0.99), http.perSecond(),
                    http.percentileMillis(0.50), http.percentileMillis(0.99));
        } finally {
            service.stop(0);
            if (ownRedis != null) {
                ownRedis.close();
            }
            deleteTree(walDir);
        }
        System.exit(0);
    }

    /** Three POSTs with templated bodies, each with a compensation (never run here: every call succeeds). */
    private static String definition(String url) {
        StringBuilder yaml = new StringBuilder("""
                intentType: bench-http
                version: 1
                description: three HTTP steps against a local fake service
                examplePayload: { orderId: o-1, customerId: c-42, amount: { value: 3998, currency: EUR } }
                deadline: 30s
                steps:
                """);
        for (String step : new String[] {"reserve", "charge", "ship"}) {
            yaml.append("""
                      - name: %1$s
                        action:
                          method: POST
                          url: %2$s/%1$s
                          body: { orderId: "{%% payload.orderId %%}", amount: "{%% payload.amount %%}" }
                        compensation:
                          method: DELETE
                          url: "%2$s/%1$s/{%% payload.orderId %%}"
                        timeout: 5s
                    """.formatted(step, url));
        }
        return yaml.toString();
    }

    /** Answers every request at once with a small JSON body, on virtual threads. */
    private static HttpServer fakeService(LongAdder served) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        byte[] answer = "{\"id\":\"x-1\",\"status\":\"ok\"}".getBytes(StandardCharsets.UTF_8);
        server.createContext("/", (HttpExchange exchange) -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, answer.length);
                exchange.getResponseBody().write(answer);
                served.increment();
            }
        });
        server.start();
        return server;
    }

    private static Run run(SagaCoordinator coordinator, String kind, int seconds, int concurrency)
            throws InterruptedException {
        long[] latencies = new long[1 << 22];
        AtomicInteger next = new AtomicInteger();
        AtomicLong failures = new AtomicLong();
        long cpuBefore = processCpuNanos();
        long begin = System.nanoTime();
        long end = begin + TimeUnit.SECONDS.toNanos(seconds);
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < concurrency; c++) {
                clients.execute(() -> {
                    while (System.nanoTime() < end) {
                        int i = next.getAndIncrement();
                        long started = System.nanoTime();
                        ExecutionId id = coordinator.start(kind, OWNER, PAYLOAD, kind + "-" + started + "-" + i);
                        ExecutionView view = coordinator.whenFinished(new ExecutionKey(OWNER.tenant(), id)).join();
                        latencies[i] = System.nanoTime() - started;
                        if (view.state() != SagaState.COMPLETED) {
                            failures.incrementAndGet();
                        }
                    }
                });
            }
        }
        double elapsed = (System.nanoTime() - begin) / 1e9;
        if (failures.get() > 0) {
            throw new IllegalStateException(failures.get() + " " + kind + " sagas did not complete");
        }
        long[] measured = Arrays.copyOf(latencies, next.get());
        Arrays.sort(measured);
        return new Run(kind, measured.length, elapsed, measured, processCpuNanos() - cpuBefore);
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static void awaitUp(StateSurface surface) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (surface.health().status() != HealthStatus.UP) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Redis did not come up: " + surface.health());
            }
            Thread.sleep(20);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
