package dev.runtimeplane.service.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runtimeplane.core.component.HealthSnapshot;
import dev.runtimeplane.core.component.HealthStatus;
import io.netty.channel.DefaultEventLoopGroup;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** Real Netty event loops: one is blocked by a task, as a blocking handler would block it. */
class EventLoopWatchdogTest {

    @Test
    void aBlockedLoopMakesTheProcessNotLiveUntilItRunsAgain() throws Exception {
        DefaultEventLoopGroup loops = new DefaultEventLoopGroup(2);
        EventLoopWatchdog watchdog = new EventLoopWatchdog(loops, Duration.ofMillis(50), Duration.ofMillis(400));
        try {
            watchdog.start();
            HealthSnapshot healthy = await(watchdog, snapshot -> snapshot.status() == HealthStatus.UP);
            assertEquals(2, healthy.details().get("loops"));

            CountDownLatch release = new CountDownLatch(1);
            loops.next().execute(() -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            HealthSnapshot stuck = await(watchdog, snapshot -> !snapshot.live());
            assertEquals(HealthStatus.DOWN, stuck.status());
            assertTrue(stuck.reason().contains("stuck"), stuck.reason());

            release.countDown();
            HealthSnapshot recovered = await(watchdog, snapshot -> snapshot.status() == HealthStatus.UP);
            assertTrue(recovered.live());
        } finally {
            watchdog.close();
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private static HealthSnapshot await(EventLoopWatchdog watchdog, Predicate<HealthSnapshot> condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        HealthSnapshot snapshot = watchdog.health();
        while (!condition.test(snapshot)) {
            assertTrue(System.nanoTime() < deadline, "timed out; last snapshot " + snapshot);
            Thread.sleep(20);
            snapshot = watchdog.health();
        }
        return snapshot;
    }
}
