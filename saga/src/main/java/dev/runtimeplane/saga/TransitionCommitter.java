package dev.runtimeplane.saga;

import dev.runtimeplane.core.port.Journal;
import dev.runtimeplane.core.port.Lease;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Makes each transition durable before anything acts on it. Under the execution's lock (so transitions
 * of one execution never interleave) the next snapshot is encoded once, its journal record is appended
 * and its store write is queued at the same time; the snapshot takes effect in memory once the journal
 * record is durable. {@link #commit} returns only when the store holds it too, so the driver never starts
 * a step whose predecessor's result another replica could not see after a takeover. Issuing both writes
 * together costs the longer of an fsync and a store round trip instead of their sum; a store write that
 * lands while the journal append fails is harmless, since nothing acted on it (see saga/README.md).
 */
final class TransitionCommitter {

    private final Journal journal;
    private final Consumer<Throwable> journalFailed;

    TransitionCommitter(Journal journal, Consumer<Throwable> journalFailed) {
        this.journal = journal;
        this.journalFailed = journalFailed;
    }

    /**
     * Applies {@code change} to the current snapshot and commits the result. {@code change} may return
     * null when there is nothing to record. Throws {@link DriverStopped} when the execution must not
     * record anything more.
     */
    ExecutionSnapshot commit(LiveExecution execution, Function<ExecutionSnapshot, Transition> change) {
        CompletableFuture<Void> stored;
        ExecutionSnapshot next;
        execution.lock().lock();
        try {
            LiveExecution.StopReason stop = execution.stopReason();
            if (stop != null) {
                throw new DriverStopped(stop);
            }
            Transition transition = change.apply(execution.snapshot());
            if (transition == null) {
                return execution.snapshot();
            }
            Encoded encoded = encode(execution, transition);
            CompletableFuture<Long> appended = appendAsync(execution, encoded);
            stored = execution.storeSync().submit(encoded.snapshot(), encoded.body(), encoded.events());
            takeEffect(execution, encoded, appended);
            next = encoded.snapshot();
        } finally {
            execution.lock().unlock();
        }
        try {
            stored.join();
        } catch (CompletionException | CancellationException e) {
            LiveExecution.StopReason reason = execution.stopReason();
            throw new DriverStopped(reason != null ? reason : LiveExecution.StopReason.LOST);
        }
        return next;
    }

    /**
     * Journals the first transition of a start and makes it the execution's snapshot, without writing it to
     * the store: that write waits for the lease and the idempotency claim, so {@code whileJournaling} gets
     * the encoding as soon as the journal record is on its way, to issue the write meanwhile (the same
     * overlap as {@link #commit}'s), unless the journal refused the record at once (it has failed before).
     * Returns once the record is durable.
     */
    Encoded journalFirst(LiveExecution execution, Transition transition, Consumer<Encoded> whileJournaling) {
        execution.lock().lock();
        try {
            Encoded encoded = encode(execution, transition);
            CompletableFuture<Long> appended = appendAsync(execution, encoded);
            if (!appended.isCompletedExceptionally()) {
                whileJournaling.accept(encoded);
            }
            takeEffect(execution, encoded, appended);
            return encoded;
        } finally {
            execution.lock().unlock();
        }
    }

    /**
     * Journals the current snapshot again, unchanged, so the floor can move past the execution's
     * older record (a long-running step would otherwise pin the journal). Skipped when the execution is
     * mid-transition or has writes in flight.
     */
    void carry(LiveExecution execution) {
        if (!execution.lock().tryLock()) {
            return;
        }
        try {
            ExecutionSnapshot snapshot = execution.snapshot();
            if (execution.stopReason() != null || snapshot.terminal() || !execution.storeSync().idle()) {
                return;
            }
            byte[] payload = JournalCodec.encodeTransition(snapshot, List.of());
            execution.marks().appending(journal.lastSequence() + 1);
            long sequence = durable(execution, append(payload));
            execution.marks().latestIs(sequence);
        } finally {
            execution.lock().unlock();
        }
    }

    private static Encoded encode(LiveExecution execution, Transition transition) {
        List<byte[]> events = new ArrayList<>(transition.events().size());
        for (SagaEvent event : transition.events()) {
            events.add(EventCodec.encode(event));
        }
        ExecutionSnapshot next = stamp(transition.next(), execution.lease());
        return new Encoded(next, SnapshotCodec.encode(next), events);
    }

    private CompletableFuture<Long> appendAsync(LiveExecution execution, Encoded encoded) {
        execution.marks().appending(journal.lastSequence() + 1);
        return append(JournalCodec.encodeTransition(encoded.body(), encoded.events()));
    }

    /** Waits until the journal record is durable, then lets the snapshot take effect. */
    private void takeEffect(LiveExecution execution, Encoded encoded, CompletableFuture<Long> appended) {
        long sequence = durable(execution, appended);
        execution.marks().appended(sequence, encoded.snapshot().version());
        execution.snapshot(encoded.snapshot());
    }

    private CompletableFuture<Long> append(byte[] payload) {
        try {
            return journal.append(JournalCodec.TRANSITION, payload);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Every snapshot records the replica and lease it was made under (none yet for the very first). */
    private static ExecutionSnapshot stamp(ExecutionSnapshot next, Lease lease) {
        if (lease == null || (next.fencingToken() == lease.fencingToken() && lease.owner().equals(next.owner()))) {
            return next;
        }
        return next.stamped(lease.owner(), lease.fencingToken());
    }

    private long durable(LiveExecution execution, CompletableFuture<Long> appended) {
        try {
            return appended.join();
        } catch (RuntimeException e) {
            execution.marks().appendFailed();
            Throwable cause = Failures.unwrap(e);
            journalFailed.accept(cause);
            execution.stop(LiveExecution.StopReason.JOURNAL_FAILED);
            throw new DriverStopped(LiveExecution.StopReason.JOURNAL_FAILED);
        }
    }

    /** A journaled transition: the snapshot as stamped and its encodings, reused for the store write. */
    record Encoded(ExecutionSnapshot snapshot, byte[] body, List<byte[]> events) {
    }
}
