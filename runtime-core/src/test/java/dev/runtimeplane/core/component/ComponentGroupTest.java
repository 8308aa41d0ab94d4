package dev.runtimeplane.core.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class ComponentGroupTest {

    private final List<String> events = new ArrayList<>();

    /** A component that records its lifecycle calls. */
    private class Recording implements Component {
        private final String name;
        private final boolean failOnStart;
        private final HealthCell health;

        Recording(String name, boolean failOnStart) {
            this.name = name;
            this.failOnStart = failOnStart;
            this.health = new HealthCell(HealthSnapshot.starting(name, Instant.EPOCH));
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public void start() {
            if (failOnStart) {
                throw new IllegalStateException(name + " cannot start");
            }
            events.add("start " + name);
            health.publish(HealthSnapshot.up(name, Map.of("k", 1), Instant.EPOCH));
        }

        @Override
        public HealthSnapshot health() {
            return health.get();
        }

        @Override
        public DrainReport drain(Instant deadline) {
            events.add("drain " + name);
            return new DrainReport(1, 0);
        }

        @Override
        public void close() {
            events.add("close " + name);
        }
    }

    @Test
    void startsInOrderAndDrainsAndClosesInReverse() throws Exception {
        ComponentGroup group = new ComponentGroup(List.of(new Recording("wal", false), new Recording("state", false)));
        group.start();
        Map<String, HealthSnapshot> health = group.health();
        assertEquals(List.of("wal", "state"), List.copyOf(health.keySet()));
        assertTrue(health.values().stream().allMatch(HealthSnapshot::ready));
        assertEquals(Map.of("state", new DrainReport(1, 0), "wal", new DrainReport(1, 0)), group.drain(Instant.EPOCH));
        group.close();
        group.close();
        assertEquals(List.of("start wal", "start state", "drain state", "drain wal", "close state", "close wal"), events);
    }

    @Test
    void aFailedStartClosesWhatAlreadyStarted() {
        ComponentGroup group = new ComponentGroup(List.of(
                new Recording("wal", false), new Recording("state", false), new Recording("saga", true)));
        IllegalStateException e = assertThrows(IllegalStateException.class, group::start);
        assertEquals("saga cannot start", e.getMessage());
        assertEquals(List.of("start wal", "start state", "close state", "close wal"), events);
        HealthSnapshot failed = group.health().get("saga");
        assertFalse(failed.live(), "a component that failed to start is not live: the process is about to exit");
        assertFalse(failed.ready());
        assertEquals("failed to start: saga cannot start", failed.reason());
    }

    /** Starts by swallowing the first interrupt (as a library on a start's path may), then waits until the next. */
    private final class SwallowsOneInterrupt extends Recording {
        private final CountDownLatch waiting = new CountDownLatch(1);

        SwallowsOneInterrupt(String name) {
            super(name, false);
        }

        @Override
        public void start() {
            waiting.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException swallowed) {
                // the library goes on as if nothing had happened
            }
            try {
                new CountDownLatch(1).await(); // waits for Redis without end, say
            } catch (InterruptedException e) {
                events.add("gave up " + name());
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    @Test
    void stoppingAStartInterruptsItUntilItGivesUpAndStartsNothingAfter() throws Exception {
        SwallowsOneInterrupt stubborn = new SwallowsOneInterrupt("stubborn");
        ComponentGroup group = new ComponentGroup(List.of(new Recording("wal", false), stubborn,
                new Recording("saga", false)));
        CompletableFuture<Void> start = CompletableFuture.runAsync(() -> {
            try {
                group.start();
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        });
        stubborn.waiting.await();

        group.awaitStartStopped();

        assertThrows(CompletionException.class, start::join);
        assertEquals(List.of("start wal", "gave up stubborn", "close wal"), events);
    }

    @Test
    void aStartAfterStopStartingStartsNothing() {
        ComponentGroup group = new ComponentGroup(List.of(new Recording("wal", false)));
        group.stopStarting();
        assertThrows(InterruptedException.class, group::start);
        assertEquals(List.of(), events);
    }

    @Test
    void startingSnapshotIsNotReadyButLive() {
        HealthSnapshot starting = HealthSnapshot.starting("wal", Instant.EPOCH);
        assertFalse(starting.ready());
        assertTrue(starting.live());
        HealthCell cell = new HealthCell(starting);
        HealthSnapshot up = HealthSnapshot.up("wal", Map.of(), Instant.EPOCH);
        cell.publish(up);
        assertSame(up, cell.get());
    }

    @Test
    void worstStatusWins() {
        assertEquals(HealthStatus.DOWN, HealthStatus.UP.worst(HealthStatus.DOWN));
        assertEquals(HealthStatus.DEGRADED, HealthStatus.DEGRADED.worst(HealthStatus.UP));
        assertEquals(HealthStatus.DOWN, HealthStatus.DOWN.worst(HealthStatus.DEGRADED));
    }
}
