package dev.runtimeplane.core.time;

import java.time.Instant;

/**
 * Wall time for timestamps and a monotonic source for durations, behind one interface so that
 * tests can move time by hand ({@link ManualClock}).
 */
public interface RuntimeClock {

    /** The current wall-clock time (for timestamps that leave the process). */
    Instant now();

    /** A monotonic nanosecond counter (for timeouts, ages and latencies); only differences matter. */
    long nanoTime();

    default long millis() {
        return now().toEpochMilli();
    }

    static RuntimeClock system() {
        return SystemClock.INSTANCE;
    }
}
