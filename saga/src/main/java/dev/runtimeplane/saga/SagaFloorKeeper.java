package dev.runtimeplane.saga;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tracks the oldest record any execution still needs (see {@link LiveExecution.JournalMarks}: records the
 * store may lack, and the latest one of every running execution) and records it in the journal itself (a
 * FLOOR record), so a restart knows where the records to recover begin. It raises its floor in the
 * journal to the same sequence, but never past a record younger than the store's retention ({@link JournalRetention}), so that a
 * store that lost its data can be rebuilt with finished executions as well. An execution whose needed record
 * falls far behind (a long step) has its snapshot journaled again to release the old one.
 */
final class SagaFloorKeeper implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(SagaFloorKeeper.class);

    private final SagaRuntime runtime;
    private final AtomicBoolean running = new AtomicBoolean();
    private final JournalRetention retention;
    private volatile long floor;
    private long markerSequence;
    private long released;

    SagaFloorKeeper(SagaRuntime runtime) {
        this.runtime = runtime;
        this.retention = new JournalRetention(runtime.options.storeRetention());
    }

    JournalRetention retention() {
        return retention;
    }

    long floor() {
        return floor;
    }

    @Override
    public void run() {
        if (runtime.journalFailure.get() != null || !running.compareAndSet(false, true)) {
            return;
        }
        try {
            advance();
        } catch (RuntimeException e) {
            LOG.warn("advancing the journal floor failed: {}", e.toString());
        } finally {
            running.set(false);
        }
    }

    private void advance() {
        long now = runtime.nowMillis();
        // Read the floor first: a record appended after this point has a larger sequence anyway.
        long last = runtime.journal.lastSequence();
        retention.note(now, last + 1);
        if (last != markerSequence) { // else nothing but our own marker since the last round
            markNeeded(last + 1);
        }
        long release = Math.min(floor, retention.floor(now));
        if (release > released) {
            runtime.journal.raiseFloor(release);
            released = release;
        }
    }

    private void markNeeded(long end) {
        long oldest = end;
        for (JournalReplay.Recovered recovering : runtime.recovering.values()) {
            oldest = Math.min(oldest, recovering.firstSequence());
        }
        for (long needed : runtime.unconfirmed.values()) {
            oldest = Math.min(oldest, needed);
        }
        for (LiveExecution execution : runtime.live.values()) {
            long needed = needed(execution);
            if (needed < end - runtime.options.carryAfterRecords()) {
                runtime.committer.carry(execution);
                needed = needed(execution);
            }
            oldest = Math.min(oldest, needed);
        }
        if (oldest > floor) {
            markerSequence = runtime.journal.append(JournalCodec.FLOOR, JournalCodec.encodeFloor(oldest))
                    .join();
            floor = oldest;
        }
    }

    private static long needed(LiveExecution execution) {
        return execution.marks().needed(execution.snapshot().terminal());
    }
}
