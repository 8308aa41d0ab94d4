package dev.runtimeplane.saga;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves the journal's checkpoint to the oldest record any execution still needs (see
 * {@link LiveExecution.JournalMarks}), so the write-ahead log can delete old segments, and records the
 * checkpoint in the journal itself so recovery knows where the needed records begin. An execution whose
 * needed record falls far behind (a long step) has its snapshot journaled again to release the old one.
 */
final class JournalCheckpointer implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(JournalCheckpointer.class);

    private final SagaRuntime runtime;
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile long checkpoint;
    private long markerSequence;

    JournalCheckpointer(SagaRuntime runtime) {
        this.runtime = runtime;
    }

    long checkpoint() {
        return checkpoint;
    }

    @Override
    public void run() {
        if (runtime.journalFailure.get() != null || !running.compareAndSet(false, true)) {
            return;
        }
        try {
            advance();
        } catch (RuntimeException e) {
            LOG.warn("advancing the journal checkpoint failed: {}", e.toString());
        } finally {
            running.set(false);
        }
    }

    private void advance() {
        // Read the floor first: a record appended after this point has a larger sequence anyway.
        long last = runtime.journal.lastSequence();
        if (last == markerSequence) {
            return; // nothing but our own marker since the last checkpoint
        }
        long floor = last + 1;
        long oldest = floor;
        for (JournalReplay.Recovered recovering : runtime.recovering.values()) {
            oldest = Math.min(oldest, recovering.firstSequence());
        }
        for (LiveExecution execution : runtime.live.values()) {
            long needed = needed(execution);
            if (needed < floor - runtime.options.carryAfterRecords()) {
                runtime.committer.carry(execution);
                needed = needed(execution);
            }
            oldest = Math.min(oldest, needed);
        }
        if (oldest > checkpoint) {
            runtime.journal.checkpoint(oldest);
            markerSequence = runtime.journal.append(JournalCodec.CHECKPOINT, JournalCodec.encodeCheckpoint(oldest))
                    .join();
            checkpoint = oldest;
        }
    }

    private static long needed(LiveExecution execution) {
        return execution.marks().needed(execution.snapshot().terminal());
    }
}
