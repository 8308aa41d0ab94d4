package dev.runtimeplane.saga;

import java.util.concurrent.CancellationException;

/**
 * Tells a running step that its result is no longer wanted: the step timed out, the saga's deadline
 * passed, the saga was cancelled, or this replica is parking the execution. The step's thread is
 * also interrupted; a step that polls (or blocks interruptibly) stops early.
 */
public final class CancellationSignal {

    private volatile String reason;

    public boolean isCancelled() {
        return reason != null;
    }

    /** Why the step was cancelled, or null while it is not. */
    public String reason() {
        return reason;
    }

    /** Throws {@link CancellationException} once cancelled; convenient between units of work. */
    public void throwIfCancelled() {
        String why = reason;
        if (why != null) {
            throw new CancellationException(why);
        }
    }

    void cancel(String why) {
        if (reason == null) {
            reason = why;
        }
    }
}
