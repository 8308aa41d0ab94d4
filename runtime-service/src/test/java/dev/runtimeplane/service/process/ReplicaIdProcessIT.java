package dev.runtimeplane.service.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runtimeplane.testkit.RedisTestKit;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * One replica id, one process: a second service with the same id refuses to start (exit 1, saying why),
 * and a service restarted after {@code kill -9} with the same id starts once the killed one's claim lapses.
 */
class ReplicaIdProcessIT {

    @Test
    void aSecondProcessWithTheSameIdExits1AndARestartAfterKillStarts() throws Exception {
        Map<String, String> environment = Map.of("REDIS_URI", RedisTestKit.shared().uri(),
                "RUNTIME_REDIS_KEY_PREFIX", "replica-id-" + System.nanoTime(),
                "RUNTIME_REPLICA_ID", "shared-id",
                "RUNTIME_SAGA_LEASE_TTL", "6s");
        try (ServiceProcess first = ServiceProcess.start(environment)) {
            first.awaitReady(Duration.ofSeconds(60));
            try (ServiceProcess second = ServiceProcess.start(environment)) {
                assertEquals(1, second.awaitExit(Duration.ofSeconds(60)), second.log());
                assertTrue(second.log().contains("replica id shared-id is in use by another running process"),
                        second.log());
            }
            assertEquals(200, ServiceProcess.status(first.management("/health/live"), Duration.ofSeconds(2)));
            first.process().destroyForcibly(); // kill -9: its claim on the id is not released
            first.process().waitFor();
            try (ServiceProcess restarted = ServiceProcess.start(environment)) {
                restarted.awaitReady(Duration.ofSeconds(60));
                // Unless the restart took longer than the TTL, it found the killed process's claim and waited.
                if (restarted.log().contains("replica id shared-id is held by another process instance; waiting")) {
                    assertTrue(restarted.log().contains("replica id shared-id lapsed and is this process's now"),
                            restarted.log());
                }
            }
        }
    }
}
