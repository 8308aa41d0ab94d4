package dev.runtimeplane.service.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runtimeplane.testkit.RedisTestKit;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A second signal during the drain (here SIGINT after SIGTERM) skips the remaining waits, yet the WAL
 * is still flushed and the process still exits 0.
 */
class SecondSignalProcessIT {

    @Test
    void aSecondSignalSkipsTheWaitsButStillFlushesTheLog() throws Exception {
        try (ServiceProcess service = ServiceProcess.start(Map.of("REDIS_URI", RedisTestKit.shared().uri(),
                "RUNTIME_REDIS_KEY_PREFIX", "second-signal-" + System.nanoTime(),
                "RUNTIME_SHUTDOWN_DRAIN_DELAY", "60s", "RUNTIME_SHUTDOWN_DRAIN_TIMEOUT", "60s"))) {
            service.awaitReady(Duration.ofSeconds(60));
            service.sigterm();
            while (ServiceProcess.status(service.management("/health/ready"), Duration.ofSeconds(1)) != 503) {
                Thread.sleep(10);
            }
            signal("INT", service.process().pid());
            assertEquals(0, service.awaitExit(Duration.ofSeconds(20)), "exits 0 long before the 60 s drain delay");
            String log = service.log();
            assertTrue(log.contains("SIGINT received during the drain: skipping the remaining waits"), log);
            assertTrue(log.contains("shutdown phase 'flush and fsync the write-ahead log' done"), log);
            assertTrue(log.contains("drain complete"), log);
        }
    }

    private static void signal(String name, long pid) throws IOException, InterruptedException {
        assertEquals(0, new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start().waitFor());
    }
}
