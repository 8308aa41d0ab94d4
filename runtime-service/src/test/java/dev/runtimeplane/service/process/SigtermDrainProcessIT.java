package dev.runtimeplane.service.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runtimeplane.core.port.JournalEntry;
import dev.runtimeplane.service.process.IntentLoad.Submission;
import dev.runtimeplane.service.testing.ApiClient;
import dev.runtimeplane.service.testing.ApiClient.TestSession;
import dev.runtimeplane.testkit.RedisServer;
import dev.runtimeplane.testkit.RedisTestKit;
import dev.runtimeplane.wal.WalOptions;
import dev.runtimeplane.wal.WriteAheadLog;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar under a steady stream of intents receives a real SIGTERM: readiness turns 503 at
 * once, requests keep succeeding through the drain delay, the process exits 0, the WAL holds every
 * acknowledged start, Redis has none of its connections left, and after a restart every accepted
 * intent reaches a terminal state.
 */
class SigtermDrainProcessIT {

    private static final Duration DRAIN_DELAY = Duration.ofSeconds(2);
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(5);

    @Test
    void drainsUnderLoadAndLosesNothing() throws Exception {
        try (RedisServer redis = RedisTestKit.startServer();
             ServiceProcess service = ServiceProcess.start(Map.of(
                     "REDIS_URI", redis.uri(),
                     "RUNTIME_SHUTDOWN_DRAIN_DELAY", DRAIN_DELAY.toMillis() + "ms",
                     "RUNTIME_SHUTDOWN_DRAIN_TIMEOUT", DRAIN_TIMEOUT.toMillis() + "ms"))) {
            service.awaitReady(Duration.ofSeconds(60));
            ApiClient api = service.api();
            TestSession session = api.openSession("acme");
            List<Submission> submissions;
            long sigtermAt;
            long readinessDownAt;
            try (IntentLoad load = new IntentLoad(api, session, 4, Duration.ofSeconds(60))) {
                load.awaitAccepted(20, Duration.ofSeconds(60));
                sigtermAt = System.nanoTime();
                service.sigterm();
                readinessDownAt = awaitReadinessDown(service, sigtermAt);
                assertEquals(200, ServiceProcess.status(service.management("/health/live"), Duration.ofSeconds(1)),
                        "liveness stays UP while draining");
                int exit = service.awaitExit(DRAIN_DELAY.plus(DRAIN_TIMEOUT).plusSeconds(15));
                assertEquals(0, exit, service.log());
                load.close();
                submissions = load.submissions();
            }
            System.out.printf("SIGTERM -> readiness 503 in %.1f ms; %d intents submitted%n",
                    (readinessDownAt - sigtermAt) / 1e6, submissions.size());

            List<String> accepted = checkAnswers(submissions, sigtermAt, readinessDownAt);
            assertTrue(accepted.size() > 10, "the load was steady: " + accepted.size() + " intents accepted");
            String log = service.log();
            for (String phase : List.of("readiness DOWN", "drain delay", "refuse new intents", "finish or park",
                    "flush and fsync the write-ahead log", "close the coordinator")) {
                assertTrue(log.contains("shutdown phase '" + phase), "phase logged: " + phase + "\n" + log);
            }
            assertEquals(List.of(), otherClients(redis), "the service closed all its Redis connections");
            assertWalHolds(service, accepted);

            try (ServiceProcess restarted = service.restart()) {
                restarted.awaitReady(Duration.ofSeconds(60));
                Map<String, String> states = Executions.awaitTerminal(restarted.api(), session.id(), session.auth(),
                        new HashSet<>(accepted), Duration.ofSeconds(60));
                assertEquals(Set.of("COMPLETED"), Set.copyOf(states.values()), states.toString());
                restarted.sigterm();
                assertEquals(0, restarted.awaitExit(Duration.ofSeconds(30)));
            }
        }
    }

    /** When readiness was first seen 503 (System.nanoTime). */
    private static long awaitReadinessDown(ServiceProcess service, long sigtermAt) throws InterruptedException {
        while (System.nanoTime() - sigtermAt < 30_000_000_000L) {
            if (ServiceProcess.status(service.management("/health/ready"), Duration.ofSeconds(1)) == 503) {
                return System.nanoTime();
            }
            Thread.sleep(2);
        }
        throw new AssertionError("readiness never turned 503 after SIGTERM");
    }

    /**
     * The drain's order, judged by events rather than by how fast this machine is: every request sent
     * before the SIGTERM was accepted; intents sent after readiness had turned 503 were still accepted
     * (the drain delay keeps serving while the load balancer notices); any refusal is a 503 with
     * Retry-After (or no answer once the process is gone). Returns the accepted executions.
     */
    private static List<String> checkAnswers(List<Submission> submissions, long sigtermAt, long readinessDownAt) {
        for (Submission submission : submissions) {
            if (submission.sentNanos() < sigtermAt) {
                assertEquals(202, submission.status(), "a request before the SIGTERM failed: " + submission);
            } else if (submission.status() == 503) {
                assertNotNull(submission.retryAfter(), "503 without Retry-After: " + submission);
            } else if (submission.status() != 202) {
                assertEquals(-1, submission.status(), "unexpected answer during the drain: " + submission);
            }
        }
        assertTrue(submissions.stream().anyMatch(s -> s.sentNanos() > readinessDownAt && s.status() == 202),
                "intents were still accepted after readiness turned 503 (the drain delay)");
        List<String> accepted = submissions.stream().filter(s -> s.status() == 202).map(Submission::executionId).toList();
        assertEquals(accepted.size(), new HashSet<>(accepted).size(), "every key got its own execution");
        return accepted;
    }

    /** Clients connected to the test's Redis other than the connection asking. */
    private static List<String> otherClients(RedisServer redis) {
        return Stream.of(redis.command("CLIENT", "LIST").split("\n"))
                .filter(line -> !line.isBlank() && !line.contains("cmd=client"))
                .toList();
    }

    /** The stopped service's WAL mentions every execution whose start it acknowledged. */
    private static void assertWalHolds(ServiceProcess service, List<String> accepted) {
        Set<String> missing = new HashSet<>(accepted);
        try (WriteAheadLog wal = WriteAheadLog.open(WalOptions.builder(service.walDirectory()).build());
             Stream<JournalEntry> entries = wal.replay(1)) {
            entries.forEach(entry -> {
                String text = new String(entry.payload(), StandardCharsets.ISO_8859_1);
                missing.removeIf(text::contains);
            });
        }
        assertFalse(accepted.isEmpty());
        assertEquals(Set.of(), missing, "acknowledged executions missing from the WAL");
    }
}
