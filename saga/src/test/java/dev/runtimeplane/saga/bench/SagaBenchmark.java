package dev.runtimeplane.saga.bench;

import dev.runtimeplane.core.id.ExecutionId;
import dev.runtimeplane.core.id.SessionId;
import dev.runtimeplane.core.id.TenantId;
import dev.runtimeplane.core.port.ExecutionKey;
import dev.runtimeplane.core.port.ExecutionStore;
import dev.runtimeplane.core.time.RuntimeClock;
import dev.runtimeplane.saga.ExecutionView;
import dev.runtimeplane.saga.SagaCoordinator;
import dev.runtimeplane.saga.SagaCoordinatorOptions;
import dev.runtimeplane.saga.SagaDefinition;
import dev.runtimeplane.saga.SagaOwner;
import dev.runtimeplane.saga.SagaRegistry;
import dev.runtimeplane.saga.SagaState;
import dev.runtimeplane.saga.testing.InMemoryExecutionStore;
import dev.runtimeplane.state.StateSurface;
import dev.runtimeplane.saga.testing.Surfaces;
import dev.runtimeplane.testkit.RedisServer;
import dev.runtimeplane.testkit.RedisTestKit;
import dev.runtimeplane.wal.FsyncPolicy;
import dev.runtimeplane.wal.WalMetrics;
import dev.runtimeplane.wal.WalOptions;
import dev.runtimeplane.wal.WriteAheadLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Durable 3-step no-op sagas, closed loop: {@code concurrency} clients each start a saga (with a unique
 * idempotency key), wait until it is terminal, and start the next. WAL under fsync ALWAYS in a temp dir,
 * snapshots and history in Redis ({@code REDIS_URI}, else a {@code redis-server} started on a free port).
 * Prints sagas/s, latency from start to terminal, and journal records, fsyncs and Redis commands per saga.
 * Below 64 in flight, 10,000 sagas at 64 in flight run first, so the measurement sees compiled code.
 * A fourth argument {@code memory-store} replaces Redis with the in-memory store of the tests, to show
 * what the coordinator and the WAL alone reach (a diagnostic, not a durable setup).
 *
 * <pre>./mvnw -q -pl saga exec:java -Dexec.classpathScope=test -Dexec.mainClass=dev.runtimeplane.saga.bench.SagaBenchmark -Dexec.args="20000 64 3000"</pre>
 */
public final class SagaBenchmark {

    private static final SagaOwner OWNER = new SagaOwner(TenantId.of("bench"), SessionId.of("bench-session"));
    /** Sagas run at this concurrency before a measurement at a lower one, to compile the hot paths. */
    private static final int JIT_WARMUP_SAGAS = 10_000;
    private static final int JIT_WARMUP_CONCURRENCY = 64;

    private SagaBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int total = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 3_000;
        boolean memoryStore = args.length > 3 && args[3].equals("memory-store");
        String configured = System.getenv("REDIS_URI");
        RedisServer ownRedis = configured == null || configured.isBlank() ? RedisTestKit.startServer() : null;
        String redisUri = ownRedis != null ? ownRedis.uri() : configured;
        Path walDir = Files.createTempDirectory("saga-bench-wal");
        SagaDefinition noop = SagaDefinition.builder("bench-noop", 1)
                .step("a", ctx -> "a")
                .step("b", ctx -> "b")
                .step("c", ctx -> "c")
                .build();
        try (WriteAheadLog wal = WriteAheadLog.open(WalOptions.builder(walDir).fsyncPolicy(FsyncPolicy.ALWAYS).build());
             StateSurface surface = Surfaces.open(redisUri, "bench-" + System.nanoTime())) {
            ExecutionStore store = memoryStore ? new InMemoryExecutionStore(RuntimeClock.system()) : surface.executions();
            SagaCoordinator coordinator = new SagaCoordinator(new SagaRegistry().register(noop), wal, store,
                    SagaCoordinatorOptions.builder("bench-replica").concurrency(1024).build());
            coordinator.start();
            if (concurrency < JIT_WARMUP_CONCURRENCY) {
                // A replica that has been serving is compiled: at low concurrency the measured warm-up alone
                // would leave the hot paths interpreted and measure the JIT, not the runtime.
                run(coordinator, noop, JIT_WARMUP_SAGAS, JIT_WARMUP_CONCURRENCY);
            }
            run(coordinator, noop, warmup, concurrency);
            long recordsBefore = wal.lastSequence();
            WalMetrics walBefore = wal.metrics();
            long commandsBefore = redisCommands(redisUri);
            long scriptsBefore = redisScriptCalls(redisUri);
            long begin = System.nanoTime();
            Latencies measured = run(coordinator, noop, total, concurrency);
            long[] latencies = measured.toTerminal();
            double seconds = (System.nanoTime() - begin) / 1e9;
            long commands = redisCommands(redisUri) - commandsBefore;
            long scripts = redisScriptCalls(redisUri) - scriptsBefore;
            WalMetrics walAfter = wal.metrics();
            System.out.printf("saga benchmark: %d durable 3-step no-op sagas, %d in flight, WAL fsync ALWAYS, store %s%n",
                    total, concurrency, memoryStore ? "in memory (diagnostic)" : "Redis " + redisUri);
            System.out.printf("  sagas/s   %,.0f%n", total / seconds);
            System.out.printf("  latency   p50 %.2f ms   p90 %.2f ms   p99 %.2f ms   max %.2f ms%n", pct(latencies, 0.50),
                    pct(latencies, 0.90), pct(latencies, 0.99), latencies[latencies.length - 1] / 1e6);
            System.out.printf("  start     p50 %.2f ms   p99 %.2f ms (until start returned: durable, key claimed, in the store)%n",
                    pct(measured.toStarted(), 0.50), pct(measured.toStarted(), 0.99));
            System.out.printf("  WAL       fsync mean %.2f ms, p99 %.2f ms, %.1f records per fsync%n",
                    (walAfter.fsyncNanos().sum() - walBefore.fsyncNanos().sum())
                            / 1e6 / Math.max(1, walAfter.fsyncNanos().count() - walBefore.fsyncNanos().count()),
                    walAfter.fsyncNanos().percentile(0.99) / 1e6,
                    (wal.lastSequence() - recordsBefore) / (double) Math.max(1,
                            walAfter.fsyncNanos().count() - walBefore.fsyncNanos().count()));
            System.out.printf("  per saga  %.2f journal records, %.2f fsyncs, %.2f Redis script calls (%.2f commands"
                            + " counting those the scripts run)%n",
                    (wal.lastSequence() - recordsBefore) / (double) total,
                    (walAfter.fsyncNanos().count() - walBefore.fsyncNanos().count()) / (double) total,
                    scripts / (double) total, commands / (double) total);
            System.out.printf("RESULT saga total=%d conc=%d sagas_per_s=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f"
                            + " scripts_per_saga=%.2f commands_per_saga=%.2f%n",
                    total, concurrency, total / seconds, pct(latencies, 0.50), pct(latencies, 0.90), pct(latencies, 0.99),
                    latencies[latencies.length - 1] / 1e6, scripts / (double) total, commands / (double) total);
            coordinator.close();
        } finally {
            if (ownRedis != null) {
                ownRedis.close();
            }
            deleteTree(walDir);
        }
        System.exit(0);
    }

    /** Sorted latencies, in nanoseconds: until {@code start} returned, and until the saga was terminal. */
    private record Latencies(long[] toStarted, long[] toTerminal) {
    }

    private static Latencies run(SagaCoordinator coordinator, SagaDefinition definition, int count, int concurrency)
            throws InterruptedException {
        long[] latencies = new long[count];
        long[] startLatencies = new long[count];
        AtomicInteger next = new AtomicInteger();
        AtomicLong failures = new AtomicLong();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < concurrency; c++) {
                clients.execute(() -> {
                    int i;
                    while ((i = next.getAndIncrement()) < count) {
                        long begin = System.nanoTime();
                        ExecutionId id = coordinator.start(definition, OWNER, "x", "bench-" + System.nanoTime() + "-" + i);
                        startLatencies[i] = System.nanoTime() - begin;
                        ExecutionView view = coordinator.whenFinished(new ExecutionKey(OWNER.tenant(), id)).join();
                        latencies[i] = System.nanoTime() - begin;
                        if (view.state() != SagaState.COMPLETED) {
                            failures.incrementAndGet();
                        }
                    }
                });
            }
            clients.shutdown();
            if (!clients.awaitTermination(30, TimeUnit.MINUTES)) {
                throw new IllegalStateException("the benchmark did not finish");
            }
        }
        if (failures.get() > 0) {
            throw new IllegalStateException(failures.get() + " sagas did not complete");
        }
        Arrays.sort(startLatencies);
        Arrays.sort(latencies);
        return new Latencies(startLatencies, latencies);
    }

    private static double pct(long[] sorted, double quantile) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)] / 1e6;
    }

    /** Redis's total_commands_processed (commands run inside scripts included), read with redis-cli. */
    private static long redisCommands(String uri) throws IOException, InterruptedException {
        return info(uri, "stats").lines().filter(l -> l.startsWith("total_commands_processed:"))
                .mapToLong(l -> Long.parseLong(l.substring(l.indexOf(':') + 1).trim())).findFirst().orElse(0);
    }

    /** How many EVALSHA calls Redis has served: the state store's operations are scripts. */
    private static long redisScriptCalls(String uri) throws IOException, InterruptedException {
        return info(uri, "commandstats").lines().filter(l -> l.startsWith("cmdstat_evalsha:calls="))
                .mapToLong(l -> Long.parseLong(l.substring("cmdstat_evalsha:calls=".length(), l.indexOf(','))))
                .findFirst().orElse(0);
    }

    private static String info(String uri, String section) throws IOException, InterruptedException {
        Process cli = new ProcessBuilder("redis-cli", "-u", uri, "INFO", section).redirectErrorStream(true).start();
        String out = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        cli.waitFor();
        return out;
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
