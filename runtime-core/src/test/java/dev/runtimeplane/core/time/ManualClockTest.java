package dev.runtimeplane.core.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ManualClockTest {

    @Test
    void movesOnlyWhenTold() {
        ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
        assertEquals(0, clock.nanoTime());
        clock.advance(Duration.ofMillis(1500));
        assertEquals(Instant.parse("2026-01-01T00:00:01.500Z"), clock.now());
        assertEquals(1_500_000_000L, clock.nanoTime());
        assertThrows(IllegalArgumentException.class, () -> clock.advance(Duration.ofSeconds(-1)));
    }

    @Test
    void systemClockIsMonotonic() {
        RuntimeClock clock = RuntimeClock.system();
        long a = clock.nanoTime();
        long b = clock.nanoTime();
        assertTrue(b >= a);
        assertTrue(Math.abs(clock.millis() - System.currentTimeMillis()) < 5_000);
    }
}
