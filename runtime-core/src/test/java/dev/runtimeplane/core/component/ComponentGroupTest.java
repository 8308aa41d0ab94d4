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
import org.junit.jupiter.api.Test;

class ComponentGroupTest {

    private final List<String> events = new ArrayList<>();

    /** A component that records its lifecycle calls. */
    private final class Recording implements Component {
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
