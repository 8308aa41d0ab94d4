package dev.runtimeplane.wal;

import java.util.List;
import java.util.concurrent.Phaser;
import java.util.concurrent.ThreadFactory;

/**
 * Completes the futures of finished rounds off the writer thread, each round on a virtual thread of
 * its own.
 *
 * <p>Why not on the writer: completing a future wakes the appender waiting on it, about a microsecond
 * each from a platform thread; for a round of dozens of appenders that would hold up the writer's next
 * write and fsync. Why a thread per round rather than one completer: callbacks attached to the futures
 * run on the completing thread, and one that blocks (say, on another append) would otherwise stall
 * every later round. Rounds a few hundred microseconds apart complete in order in practice, but only
 * this is promised: when a future completes, every record with a lower sequence is durable too.
 */
final class Completer {

    private final ThreadFactory threads = Thread.ofVirtual().name("wal-completer").factory();
    private final Phaser inFlight = new Phaser(1);

    /** Completes a finished round's futures; the caller must not touch the list afterwards. */
    void complete(List<AppendRequest> requests, long acknowledgedSequence) {
        inFlight.register();
        threads.newThread(() -> {
            try {
                for (AppendRequest request : requests) {
                    request.future().complete(request.isFlush() ? acknowledgedSequence : request.lastSequence());
                }
            } finally {
                inFlight.arriveAndDeregister();
            }
        }).start();
    }

    /** Waits until every round handed over so far is completed. Call once, after the writer has stopped. */
    void awaitFinished() {
        inFlight.arriveAndAwaitAdvance();
    }
}
