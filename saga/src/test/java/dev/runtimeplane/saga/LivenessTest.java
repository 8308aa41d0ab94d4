package dev.runtimeplane.saga;

import static dev.runtimeplane.saga.Harness.OWNER;
import static dev.runtimeplane.saga.Harness.eventually;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runtimeplane.core.component.HealthSnapshot;
import dev.runtimeplane.core.time.RuntimeClock;
import dev.runtimeplane.saga.testing.ProcessDeath;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Live means not stuck: a busy coordinator stays live, a stuck scheduler or stalled work does not. */
class LivenessTest {

    private static final Duration THRESHOLD = Duration.ofMillis(300);

    private final Harness harness = new Harness();

    @AfterEach
    void close() {
        harness.close();
    }

    @Test
    void aStuckSchedulerThreadTurnsNotLiveAndLiveAgainOnceItRuns() throws Exception {
        SchedulerBlockingClock clock = new SchedulerBlockingClock();
        SagaCoordinator coordinator = harness.start("r1", harness.journal, harness.store,
                b -> b.livenessThreshold(THRESHOLD).clock(clock));
        eventually("the coordinator is live", () -> coordinator.health().live());
        CountDownLatch gate = clock.blockScheduler();
        eventually("a stuck scheduler is reported", () -> !coordinator.health().live());
        assertTrue(coordinator.health().reason().contains("scheduler thread has not run"), coordinator.health().reason());
        gate.countDown();
        eventually("live again once the scheduler runs", () -> coordinator.health().live());
    }

    @Test
    void busyStepsStayLiveButQueuedWorkThatNothingMovesIsStuck() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        SagaDefinition saga = SagaDefinition.builder("waits", 1).step("a", ctx -> {
            release.await();
            return null;
        }).build();
        ProcessDeath stuckDisk = new ProcessDeath();
        SagaCoordinator coordinator = harness.start("r1", stuckDisk.journal(harness.journal), harness.store,
                b -> b.concurrency(1).livenessThreshold(THRESHOLD));
        for (int i = 0; i < 3; i++) {
            coordinator.start(saga, OWNER, "", null);
        }
        eventually("one runs and two queue", () -> Integer.valueOf(2).equals(coordinator.health().details().get("queued"))
                && Integer.valueOf(1).equals(coordinator.health().details().get("attemptsRunning")));
        Instant busySince = Instant.now();
        eventually("a snapshot taken well past the threshold",
                () -> coordinator.health().observedAt().isAfter(busySince.plus(THRESHOLD.multipliedBy(3))));
        HealthSnapshot busy = coordinator.health();
        assertTrue(busy.live(), "a busy coordinator reported itself not live: " + busy.reason());

        stuckDisk.kill(); // the journal append of the running step's result never returns
        release.countDown();
        eventually("queued work that nothing moves is reported", () -> !coordinator.health().live());
        assertTrue(coordinator.health().reason().contains("stuck"), coordinator.health().reason());
    }

    /** The system clock, except that the coordinator's scheduler thread blocks in it while the gate is shut. */
    private static final class SchedulerBlockingClock implements RuntimeClock {
        private volatile CountDownLatch gate;

        CountDownLatch blockScheduler() {
            CountDownLatch shut = new CountDownLatch(1);
            gate = shut;
            return shut;
        }

        @Override
        public Instant now() {
            return RuntimeClock.system().now();
        }

        @Override
        public long nanoTime() {
            CountDownLatch shut = gate;
            if (shut != null && Thread.currentThread().getName().startsWith("saga-scheduler-")) {
                try {
                    shut.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return RuntimeClock.system().nanoTime();
        }
    }
}
