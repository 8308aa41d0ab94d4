package dev.runtimeplane.service.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runtimeplane.testkit.FreePorts;
import dev.runtimeplane.testkit.RedisServer;
import dev.runtimeplane.testkit.RedisTestKit;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * A SIGTERM sent the moment the first port accepts a connection (what the image build's training run
 * and a {@code docker stop} right after start do) still drains and exits 0: the signal handlers are
 * installed before anything listens, not after the application context has started.
 */
class EarlySigtermProcessIT {

    @RepeatedTest(3)
    void sigtermAsSoonAsThePortOpensDrainsAndExitsZero() throws Exception {
        try (RedisServer redis = RedisTestKit.startServer()) {
            sigtermAsSoonAsListening(redis.uri());
        }
    }

    /**
     * The image build's training run: no Redis, so the components' start waits for it without end. The
     * drain interrupts that start instead of waiting for it.
     */
    @Test
    void sigtermWhileTheStartWaitsForRedisDrainsAndExitsZero() throws Exception {
        sigtermAsSoonAsListening("redis://127.0.0.1:" + FreePorts.any());
    }

    private static void sigtermAsSoonAsListening(String redisUri) throws Exception {
        try (ServiceProcess service = ServiceProcess.start(Map.of(
                "REDIS_URI", redisUri,
                "RUNTIME_SHUTDOWN_DRAIN_DELAY", "200ms",
                "RUNTIME_SHUTDOWN_DRAIN_TIMEOUT", "2s"))) {
            awaitListening(service, Duration.ofSeconds(60));
            service.sigterm();

            int exit = service.awaitExit(Duration.ofSeconds(60));

            String log = service.log();
            assertEquals(0, exit, "exit status of a SIGTERM right after the port opened\n" + log);
            assertTrue(log.contains("shutdown phase 'readiness DOWN'"), log);
            assertTrue(log.contains("drain complete"), log);
        }
    }

    /** Tries to connect to the management port (the first to listen) until it accepts. */
    private static void awaitListening(ServiceProcess service, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!service.process().isAlive()) {
                throw new IllegalStateException("the service exited before listening:\n" + service.log());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", service.managementPort()), 100);
                return;
            } catch (IOException e) {
                Thread.sleep(1);
            }
        }
        throw new IllegalStateException("the management port never opened:\n" + service.log());
    }
}
