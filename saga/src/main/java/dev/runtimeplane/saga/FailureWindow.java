package dev.runtimeplane.saga;

import dev.runtimeplane.core.time.RuntimeClock;
import java.util.concurrent.atomic.AtomicLongArray;

/** Counts events over the last minute in one-second buckets, without locks. */
final class FailureWindow {

    private static final int SECONDS = 60;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final RuntimeClock clock;
    private final AtomicLongArray counts = new AtomicLongArray(SECONDS);
    private final AtomicLongArray bucketSecond = new AtomicLongArray(SECONDS);

    FailureWindow(RuntimeClock clock) {
        this.clock = clock;
    }

    void record() {
        long second = clock.nanoTime() / NANOS_PER_SECOND;
        int slot = (int) Math.floorMod(second, (long) SECONDS);
        long owner = bucketSecond.get(slot);
        if (owner != second && bucketSecond.compareAndSet(slot, owner, second)) {
            counts.set(slot, 0);
        }
        counts.incrementAndGet(slot);
    }

    /** Events recorded in the last 60 seconds. */
    long lastMinute() {
        long now = clock.nanoTime() / NANOS_PER_SECOND;
        long total = 0;
        for (int slot = 0; slot < SECONDS; slot++) {
            long second = bucketSecond.get(slot);
            if (now - second < SECONDS && second <= now) {
                total += counts.get(slot);
            }
        }
        return total;
    }
}
