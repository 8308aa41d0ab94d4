package dev.runtimeplane.saga;

import dev.runtimeplane.core.time.RuntimeClock;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Step attempts in flight and when one last started or finished: what tells a busy coordinator (attempts
 * running or coming and going) from a stuck one (work waiting and nothing running or moving).
 */
final class AttemptActivity {

    private final RuntimeClock clock;
    private final AtomicInteger running = new AtomicInteger();
    private volatile long lastChangeNanos;

    AttemptActivity(RuntimeClock clock) {
        this.clock = clock;
        this.lastChangeNanos = clock.nanoTime();
    }

    /** On the attempt's thread, before the step's code runs. */
    void started() {
        running.incrementAndGet();
        lastChangeNanos = clock.nanoTime();
    }

    /** On the attempt's thread, once the step's code has returned or thrown. */
    void finished() {
        running.decrementAndGet();
        lastChangeNanos = clock.nanoTime();
    }

    int running() {
        return running.get();
    }

    /** Nanoseconds since an attempt last started or finished. */
    long idleNanos() {
        return clock.nanoTime() - lastChangeNanos;
    }
}
