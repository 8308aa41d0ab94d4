package dev.runtimeplane.state.bench;

import dev.runtimeplane.core.component.HealthStatus;
import dev.runtimeplane.core.id.Ids;
import dev.runtimeplane.core.id.SessionId;
import dev.runtimeplane.core.id.TenantId;
import dev.runtimeplane.state.SessionStateStore;
import dev.runtimeplane.state.StateSurface;
import dev.runtimeplane.state.StateSurfaceOptions;
import dev.runtimeplane.testkit.RedisServer;
import dev.runtimeplane.testkit.RedisTestKit;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Prints the state surface's throughput for a state read ("get") and a compare-and-set state write
 * ("cas"), at 1 and 64 concurrent callers (virtual threads, each blocking on its own call), beside
 * {@code redis-benchmark} GET and SET at the same concurrency against the same server in the same
 * run. Figures only, no pass/fail.
 *
 * <p>Run: {@code ./mvnw -q -pl state-surface exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=dev.runtimeplane.state.bench.StateSurfaceBenchmark}. It starts its own
 * redis-server unless {@code REDIS_URI} points to one (redis://host:port). System properties:
 * {@code bench.seconds} (measured seconds per case, default 5), {@code bench.warmup} (default 2),
 * {@code bench.requests} (redis-benchmark requests per case, default 200000).
 */
public final class StateSurfaceBenchmark {

    private static final int[] CONCURRENCY = {1, 64};
    private static final int VALUE_BYTES = 256;
    private static final TenantId TENANT = TenantId.of("bench");

    private final Duration measure = Duration.ofSeconds(Long.getLong("bench.seconds", 5));
    private final Duration warmup = Duration.ofSeconds(Long.getLong("bench.warmup", 2));
    private final long requests = Long.getLong("bench.requests", 200_000);

    private StateSurfaceBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        new StateSurfaceBenchmark().run();
    }

    private void run() throws Exception {
        String configured = System.getProperty("REDIS_URI", System.getenv("REDIS_URI"));
        RedisServer own = configured == null ? RedisTestKit.startServer() : null;
        URI redis = URI.create(configured != null ? configured : own.uri());
        try (StateSurface surface = new StateSurface(StateSurfaceOptions.builder()
                .redisUri(redis.toString())
                .keyPrefix("bench-" + Ids.random().substring(0, 8))
                .build())) {
            surface.start();
            awaitUp(surface);
            List<SessionId> sessions = prepare(surface, Arrays.stream(CONCURRENCY).max().orElseThrow());

            System.out.printf(Locale.ROOT, "%nstate-surface benchmark: %d cores, Java %s, %s, %d-byte values, %d s per case%n",
                    Runtime.getRuntime().availableProcessors(), Runtime.version(), redisVersion(), VALUE_BYTES,
                    measure.toSeconds());
            List<String> rows = new ArrayList<>();
            long[] versions = new long[sessions.size()]; // each caller's document version, across all cases
            Arrays.fill(versions, 1);
            for (int callers : CONCURRENCY) {
                Map<String, Double> reference = redisBenchmark(redis, callers);
                Result get = measure(callers, (caller, state) -> state.read(TENANT, sessions.get(caller)).join(),
                        surface.sessionState());
                Result cas = measure(callers, (caller, state) -> {
                    state.write(TENANT, sessions.get(caller), document(caller), versions[caller]).join();
                    versions[caller]++;
                }, surface.sessionState());
                rows.add(row("get", callers, get, "GET", reference.get("GET"), callers == 64 ? ">= 80%" : ""));
                rows.add(row("cas update", callers, cas, "SET", reference.get("SET"), callers == 64 ? ">= 50%" : ""));
            }
            System.out.printf(Locale.ROOT, "%n%-11s %7s %14s %9s %9s %18s %8s %8s%n", "operation", "callers",
                    "surface ops/s", "p50 ms", "p99 ms", "redis-benchmark", "ratio", "target");
            rows.forEach(System.out::println);
        } finally {
            if (own != null) {
                own.close();
            }
        }
    }

    /** One session per caller, each with a state document of about {@value #VALUE_BYTES} bytes at version 1. */
    private static List<SessionId> prepare(StateSurface surface, int count) {
        List<SessionId> sessions = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            SessionId id = surface.sessions().create(TENANT, "bench", Map.of()).join().session().id();
            surface.sessionState().write(TENANT, id, document(i), 0).join();
            sessions.add(id);
        }
        return sessions;
    }

    private static String document(int caller) {
        String head = "{\"caller\":" + caller + ",\"payload\":\"";
        return head + "x".repeat(VALUE_BYTES - head.length() - 2) + "\"}";
    }

    @FunctionalInterface
    private interface Operation {
        void call(int caller, SessionStateStore state);
    }

    private record Result(double opsPerSecond, double p50Millis, double p99Millis) {
    }

    /** Runs {@code operation} in a closed loop on {@code callers} virtual threads: warm-up, then measured. */
    private Result measure(int callers, Operation operation, SessionStateStore state) throws InterruptedException {
        loop(callers, operation, state, warmup);
        return loop(callers, operation, state, measure);
    }

    private static Result loop(int callers, Operation operation, SessionStateStore state, Duration duration)
            throws InterruptedException {
        long[][] latencies = new long[callers][];
        int[] counts = new int[callers];
        CountDownLatch start = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(callers);
        long[] window = new long[2];
        for (int c = 0; c < callers; c++) {
            int caller = c;
            Thread.ofVirtual().start(() -> {
                long[] samples = new long[1 << 16];
                int n = 0;
                try {
                    start.await();
                    long end = window[1];
                    long now = System.nanoTime();
                    while (now < end) {
                        operation.call(caller, state);
                        long after = System.nanoTime();
                        if (n == samples.length) {
                            samples = Arrays.copyOf(samples, n * 2);
                        }
                        samples[n++] = after - now;
                        now = after;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    latencies[caller] = samples;
                    counts[caller] = n;
                    done.countDown();
                }
            });
        }
        window[0] = System.nanoTime();
        window[1] = window[0] + duration.toNanos();
        start.countDown();
        done.await();
        long elapsed = System.nanoTime() - window[0];
        int total = Arrays.stream(counts).sum();
        long[] all = new long[total];
        int at = 0;
        for (int c = 0; c < callers; c++) {
            System.arraycopy(latencies[c], 0, all, at, counts[c]);
            at += counts[c];
        }
        Arrays.sort(all);
        return new Result(total * 1e9 / elapsed, percentile(all, 0.50) / 1e6, percentile(all, 0.99) / 1e6);
    }

    private static double percentile(long[] sorted, double quantile) {
        return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.floor(quantile * sorted.length))];
    }

    /** redis-benchmark GET and SET requests per second at {@code clients} connections. */
    private Map<String, Double> redisBenchmark(URI redis, int clients) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("redis-benchmark", "-h", redis.getHost(), "-p", String.valueOf(redis.getPort()),
                "-t", "get,set", "-c", String.valueOf(clients), "-n", String.valueOf(requests),
                "-d", String.valueOf(VALUE_BYTES), "--csv")
                .redirectErrorStream(true)
                .start();
        String output;
        try (InputStream in = process.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException("redis-benchmark failed:\n" + output);
        }
        Map<String, Double> rates = new HashMap<>();
        for (String line : output.split("\\R")) {
            String[] fields = line.replace("\"", "").split(",");
            if (fields.length > 1 && (fields[0].equals("GET") || fields[0].equals("SET"))) {
                rates.put(fields[0], Double.parseDouble(fields[1]));
            }
        }
        return rates;
    }

    private static String row(String operation, int callers, Result result, String command, Double reference,
                              String target) {
        return String.format(Locale.ROOT, "%-11s %7d %14.0f %9.3f %9.3f %10s %7.0f %7.0f%% %8s", operation, callers,
                result.opsPerSecond(), result.p50Millis(), result.p99Millis(), command, reference,
                100 * result.opsPerSecond() / reference, target);
    }

    private static String redisVersion() {
        try {
            Process process = new ProcessBuilder("redis-server", "--version").redirectErrorStream(true).start();
            String version = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            process.waitFor();
            return version.replaceAll(" sha=.*", "");
        } catch (IOException e) {
            return "redis-server version unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "redis-server version unknown";
        }
    }

    private static void awaitUp(StateSurface surface) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (surface.health().status() != HealthStatus.UP) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Redis did not come up: " + surface.health().reason());
            }
            Thread.sleep(50);
        }
    }
}
