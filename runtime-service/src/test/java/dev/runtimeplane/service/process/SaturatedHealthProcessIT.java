package dev.runtimeplane.service.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runtimeplane.service.testing.ApiClient;
import dev.runtimeplane.service.testing.ApiClient.TestSession;
import dev.runtimeplane.testkit.RedisTestKit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * While CPU-bound saga steps saturate every core, {@code /health/ready} keeps answering: no probe
 * with a 1 s timeout fails. The latencies are printed, not asserted (benchmarks measure speed).
 */
class SaturatedHealthProcessIT {

    private static final int BURNERS = 2 * Runtime.getRuntime().availableProcessors() + 2;
    private static final long BURN_MILLIS = 2_500;

    @Test
    void readinessAnswersWhileStepsSaturateTheCpu() throws Exception {
        try (ServiceProcess service = ServiceProcess.start(Map.of("REDIS_URI", RedisTestKit.shared().uri(),
                "RUNTIME_REDIS_KEY_PREFIX", "saturated-" + System.nanoTime()))) {
            service.awaitReady(Duration.ofSeconds(60));
            ApiClient api = service.api();
            TestSession session = api.openSession("acme");
            List<String> executions = new ArrayList<>();
            try (ExecutorService submitters = Executors.newFixedThreadPool(BURNERS)) {
                List<Future<String>> submitted = new ArrayList<>();
                for (int i = 0; i < BURNERS; i++) {
                    submitted.add(submitters.submit(() -> (String) ApiClient.map(api.send("POST",
                            "/v1/sessions/" + session.id() + "/intents",
                            "{\"type\":\"cpu-work\",\"payload\":{\"millis\":" + BURN_MILLIS + "}}", session.auth()).body())
                            .get("executionId")));
                }
                long[] probes = probeReadiness(service, Duration.ofSeconds(5));
                for (Future<String> future : submitted) {
                    executions.add(future.get());
                }
                Arrays.sort(probes);
                long failures = Arrays.stream(probes).filter(nanos -> nanos < 0).count();
                System.out.printf("/health/ready under saturation: %d probes, p50 %.2f ms, p99 %.2f ms, max %.2f ms, %d failed%n",
                        probes.length, percentile(probes, 0.50), percentile(probes, 0.99),
                        probes[probes.length - 1] / 1e6, failures);
                assertEquals(0, failures, "a readiness probe failed or took over 1 s");
            }
            Map<String, String> states = Executions.awaitTerminal(api, session.id(), session.auth(), executions,
                    Duration.ofSeconds(60));
            assertTrue(states.values().stream().allMatch("COMPLETED"::equals), states.toString());
        }
    }

    /** Probes every 20 ms; a probe that is not 200 within 1 s is recorded as -1. */
    private static long[] probeReadiness(ServiceProcess service, Duration duration) throws InterruptedException {
        List<Long> latencies = new ArrayList<>();
        long end = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < end) {
            long begin = System.nanoTime();
            int status = ServiceProcess.status(service.management("/health/ready"), Duration.ofSeconds(1));
            latencies.add(status == 200 ? System.nanoTime() - begin : -1);
            Thread.sleep(20);
        }
        return latencies.stream().mapToLong(Long::longValue).toArray();
    }

    private static double percentile(long[] sorted, double quantile) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)] / 1e6;
    }
}
