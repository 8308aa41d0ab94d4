package dev.runtimeplane.core.time;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/** A clock that moves only when told to; wall time and monotonic time advance together. */
public final class ManualClock implements RuntimeClock {

    private final Instant origin;
    private final AtomicLong elapsedNanos = new AtomicLong();

    public ManualClock(Instant origin) {
        this.origin = origin;
    }

    public void advance(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("time only moves forward: " + duration);
        }
        elapsedNanos.addAndGet(duration.toNanos());
    }

    @Override
    public Instant now() {
        return origin.plusNanos(elapsedNanos.get());
    }

    @Override
    public long nanoTime() {
        return elapsedNanos.get();
    }
}
