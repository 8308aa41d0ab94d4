package dev.runtimeplane.service.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runtimeplane.service.testing.ApiClient;
import dev.runtimeplane.service.testing.ApiClient.TestSession;
import dev.runtimeplane.testkit.RedisTestKit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * While CPU-bound saga steps saturate every core for longer than the liveness threshold (10 s),
 * {@code /health/ready} and {@code /health/live} keep answering 200: a busy replica is neither taken out
 * of rotation nor restarted. Every probe answered counts; a probe fails only on a non-200 answer (or none
 * within 30 s, which is a hang, not slowness). Latencies are printed, never asserted (benchmarks measure
 * speed).
 */
class SaturatedHealthProcessIT {

    /** More 5 s burns than cores in each round; a new round every 4 s keeps every core busy for about 17 s. */
    private static final int BURNERS = 2 * Runtime.getRuntime().availableProcessors() + 2;
    private static final int ROUNDS = 4;
    private static final long BURN_MILLIS = 5_000;
    private static final long ROUND_EVERY_MILLIS = 4_000;

    @Test
    void healthAnswersWhileStepsSaturateTheCpu() throws Exception {
        try (ServiceProcess service = ServiceProcess.start(Map.of("REDIS_URI", RedisTestKit.shared().uri(),
                "RUNTIME_REDIS_KEY_PREFIX", "saturated-" + System.nanoTime()))) {
            service.awaitReady(Duration.ofSeconds(60));
            ApiClient api = service.api();
            TestSession session = api.openSession("acme");
            List<String> executions = new CopyOnWriteArrayList<>();
            AtomicBoolean saturated = new AtomicBoolean(true);
            Thread.ofPlatform().daemon().start(() -> {
                try {
                    for (int round = 0; round < ROUNDS; round++) {
                        if (round > 0) {
                            Thread.sleep(ROUND_EVERY_MILLIS); // paces the load; nothing is asserted about time
                        }
                        executions.addAll(submitRound(api, session));
                    }
                    Executions.awaitTerminal(api, session.id(), session.auth(), executions, Duration.ofSeconds(120));
                } catch (Exception | AssertionError e) {
                    // the assertions below report it
                } finally {
                    saturated.set(false);
                }
            });
            Probes ready = new Probes("/health/ready");
            Probes live = new Probes("/health/live");
            while (saturated.get()) {
                ready.probe(service);
                live.probe(service);
                Thread.sleep(20);
            }
            ready.print();
            live.print();
            assertEquals(ROUNDS * BURNERS, executions.size(), "every round of CPU-bound intents was accepted");
            assertEquals(List.of(), ready.failures, "readiness failed while the replica was only busy\n" + service.log());
            assertEquals(List.of(), live.failures, "liveness failed while the replica was only busy\n" + service.log());
            Map<String, String> states = Executions.awaitTerminal(api, session.id(), session.auth(), executions,
                    Duration.ofSeconds(60));
            assertTrue(states.values().stream().allMatch("COMPLETED"::equals), states.toString());
        }
    }

    /** Submits one round of CPU-bound intents at once and returns their execution ids. */
    private static List<String> submitRound(ApiClient api, TestSession session) throws Exception {
        try (ExecutorService submitters = Executors.newFixedThreadPool(BURNERS)) {
            List<Future<String>> submitted = new ArrayList<>();
            for (int i = 0; i < BURNERS; i++) {
                submitted.add(submitters.submit(() -> (String) ApiClient.map(api.send("POST",
                        "/v1/sessions/" + session.id() + "/intents",
                        "{\"type\":\"cpu-work\",\"payload\":{\"millis\":" + BURN_MILLIS + "}}", session.auth()).body())
                        .get("executionId")));
            }
            List<String> ids = new ArrayList<>();
            for (Future<String> future : submitted) {
                ids.add(future.get());
            }
            return ids;
        }
    }

    /** The answers of one health endpoint: latencies of the 200s, and every other answer. */
    private static final class Probes {

        private final String path;
        private final List<Long> latencies = new ArrayList<>();
        private final List<String> failures = new ArrayList<>();

        Probes(String path) {
            this.path = path;
        }

        void probe(ServiceProcess service) {
            long begin = System.nanoTime();
            int status = ServiceProcess.status(service.management(path), Duration.ofSeconds(30));
            if (status == 200) {
                latencies.add(System.nanoTime() - begin);
            } else {
                failures.add(status + " after " + (System.nanoTime() - begin) / 1_000_000 + " ms");
            }
        }

        void print() {
            long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
            if (sorted.length == 0) {
                return;
            }
            System.out.printf("%s under saturation: %d probes, p50 %.2f ms, p99 %.2f ms, max %.2f ms, %d failed%n",
                    path, sorted.length, percentile(sorted, 0.50), percentile(sorted, 0.99),
                    sorted[sorted.length - 1] / 1e6, failures.size());
        }

        private static double percentile(long[] sorted, double quantile) {
            return sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)] / 1e6;
        }
    }
}
