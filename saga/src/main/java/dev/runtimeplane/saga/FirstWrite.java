package dev.runtimeplane.saga;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * A start's first record goes two ways at once: its caller journals it while its driver writes it to the
 * store as soon as the lease and the idempotency key are granted (the overlap every transition has, see
 * {@link TransitionCommitter}). This settles the one race between them: when the journal fails, whether the
 * write went out before (then the execution may be in the store, where it is adopted once its lease expires,
 * so the start's outcome is unknown rather than failed) or never will.
 */
final class FirstWrite {

    /** Completes when the record is durable; fails when it never will be. */
    private final CompletableFuture<Void> journaled = new CompletableFuture<>();
    private boolean issued; // guarded by this, as is failing the journaled future

    /** The driver is about to write the first record: false when the journal failed first (write nothing). */
    synchronized boolean mayIssue() {
        if (journaled.isCompletedExceptionally()) {
            return false;
        }
        issued = true;
        return true;
    }

    /** The first record is durable in the journal. */
    void journaled() {
        journaled.complete(null);
    }

    /** The journal failed to make the first record durable; true when the first write was issued already. */
    synchronized boolean journalFailed() {
        journaled.completeExceptionally(new DriverStopped(LiveExecution.StopReason.JOURNAL_FAILED));
        return issued;
    }

    /** Waits until the first record is durable; {@link DriverStopped} when it never will be. */
    void awaitJournaled() throws InterruptedException {
        try {
            journaled.get();
        } catch (ExecutionException e) {
            throw new DriverStopped(LiveExecution.StopReason.JOURNAL_FAILED);
        }
    }
}
