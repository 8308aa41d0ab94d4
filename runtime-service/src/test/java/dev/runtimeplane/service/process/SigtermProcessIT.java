package dev.runtimeplane.service.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The packaged jar serves health on the management port and exits 0 on a real SIGTERM. */
class SigtermProcessIT {

    @Test
    void servesHealthAndDrainsOnSigterm() throws Exception {
        try (ServiceProcess service = ServiceProcess.start(Map.of(
                "RUNTIME_SHUTDOWN_DRAIN_DELAY", "1500ms", "RUNTIME_SHUTDOWN_DRAIN_TIMEOUT", "2s"))) {
            service.awaitReady(Duration.ofSeconds(30));
            assertEquals(200, ServiceProcess.status(service.management("/health"), Duration.ofSeconds(1)));
            assertEquals(200, ServiceProcess.status(service.management("/health/live"), Duration.ofSeconds(1)));
            assertEquals(404, ServiceProcess.status(service.api("/health"), Duration.ofSeconds(1)),
                    "health is served on the management port only");

            service.sigterm();
            long sent = System.nanoTime();
            int ready;
            do {
                ready = ServiceProcess.status(service.management("/health/ready"), Duration.ofSeconds(1));
            } while (ready == 200 && System.nanoTime() - sent < 1_000_000_000L);
            assertEquals(503, ready, "readiness turns DOWN at once on SIGTERM");
            assertEquals(200, ServiceProcess.status(service.management("/health/live"), Duration.ofSeconds(1)),
                    "liveness stays UP during the drain");

            assertEquals(0, service.awaitExit(Duration.ofSeconds(20)));
            String log = service.log();
            assertTrue(log.contains("shutdown phase 'readiness DOWN'"), log);
            assertTrue(log.contains("drain complete"), log);
        }
    }
}
