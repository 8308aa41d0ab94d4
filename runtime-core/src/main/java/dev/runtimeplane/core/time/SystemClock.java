package dev.runtimeplane.core.time;

import java.time.Instant;

/** The JVM's clocks. */
enum SystemClock implements RuntimeClock {
    INSTANCE;

    @Override
    public Instant now() {
        return Instant.now();
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }
}
