package dev.runtimeplane.saga;

import dev.runtimeplane.core.id.ExecutionId;
import dev.runtimeplane.core.log.LogContext;
import dev.runtimeplane.core.port.ExecutionKey;
import dev.runtimeplane.core.port.Lease;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An execution this replica drives: its current snapshot, its lease, the attempt in flight, and what
 * the journal still needs to keep for it. Transitions are serialized by {@link #lock()} (the driver
 * and a client's cancel both commit through it); readers take the volatile snapshot without locking.
 */
final class LiveExecution {

    /** Why the driver must stop without recording anything more. */
    enum StopReason {
        /** Drain or close: handed back (lease released) for another replica or the next start. */
        PARKED,
        /** The lease was lost or a write was fenced: another replica owns the execution now. */
        LOST,
        /** The journal cannot make records durable any more. */
        JOURNAL_FAILED,
        /** The idempotency key belongs to another execution: this one never runs. */
        ABANDONED
    }

    private final ExecutionKey key;
    private final SagaDefinition definition;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition nudged = lock.newCondition();
    private long nudges;
    private volatile ExecutionSnapshot snapshot;
    private volatile Lease lease;
    private volatile long leaseValidUntilNanos;
    private volatile StopReason stopReason;
    private final CompletableFuture<StopReason> stopped = new CompletableFuture<>();
    private volatile RunningAttempt attempt;
    private final CompletableFuture<ExecutionId> accepted = new CompletableFuture<>();
    private final CompletableFuture<ExecutionView> finished = new CompletableFuture<>();
    private final JournalMarks marks = new JournalMarks();
    private StoreSync storeSync;

    LiveExecution(ExecutionKey key, SagaDefinition definition, ExecutionSnapshot snapshot) {
        this.key = key;
        this.definition = definition;
        this.snapshot = snapshot;
    }

    ExecutionKey key() {
        return key;
    }

    SagaDefinition definition() {
        return definition;
    }

    ExecutionSnapshot snapshot() {
        return snapshot;
    }

    /** Only under {@link #lock()}, after the snapshot's journal record is durable. */
    void snapshot(ExecutionSnapshot next) {
        this.snapshot = next;
    }

    ReentrantLock lock() {
        return lock;
    }

    /** The lease, or null in the first moments of a start, before it is granted. */
    Lease lease() {
        return lease;
    }

    /** The lease of a new execution was granted (requested at {@code validUntilNanos - ttl}). */
    void leaseGranted(Lease granted, long validUntilNanos) {
        this.leaseValidUntilNanos = validUntilNanos;
        this.lease = granted;
    }

    /** A renewal sent at {@code validUntilNanos - ttl} succeeded (a late reply to an older one changes nothing). */
    void leaseRenewed(long validUntilNanos) {
        if (validUntilNanos - this.leaseValidUntilNanos > 0) {
            this.leaseValidUntilNanos = validUntilNanos;
        }
    }

    long leaseValidUntilNanos() {
        return leaseValidUntilNanos;
    }

    StoreSync storeSync() {
        return storeSync;
    }

    void storeSync(StoreSync sync) {
        this.storeSync = sync;
    }

    JournalMarks marks() {
        return marks;
    }

    /** Completes with the id {@code start} returns: this one, or the winner of the idempotency key. */
    CompletableFuture<ExecutionId> accepted() {
        return accepted;
    }

    /** Completes with the final view once the terminal snapshot is in the store. */
    CompletableFuture<ExecutionView> finished() {
        return finished;
    }

    /** Asks the driver to stop; the first reason wins. Interrupts the attempt in flight and wakes waits. */
    boolean stop(StopReason reason) {
        synchronized (stopped) {
            if (stopReason != null) {
                return false;
            }
            stopReason = reason;
        }
        stopped.complete(reason);
        cancelAttempt("execution " + reason.name().toLowerCase(java.util.Locale.ROOT) + " on this replica");
        nudge();
        return true;
    }

    StopReason stopReason() {
        return stopReason;
    }

    CompletableFuture<StopReason> stopped() {
        return stopped;
    }

    void attempt(RunningAttempt running) {
        this.attempt = running;
    }

    /** Signals and interrupts the attempt in flight, if any. */
    void cancelAttempt(String why) {
        RunningAttempt running = attempt;
        if (running != null) {
            running.cancel(why);
        }
    }

    /** Wakes a driver that waits for a retry time (cancel, stop). */
    void nudge() {
        lock.lock();
        try {
            nudges++;
            nudged.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits up to {@code nanos} or until nudged. */
    void awaitNudge(long nanos) throws InterruptedException {
        lock.lock();
        try {
            long seen = nudges;
            long remaining = nanos;
            while (nudges == seen && remaining > 0 && stopReason == null) {
                remaining = nudged.awaitNanos(remaining);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * An attempt in flight: its signal, and the pooled thread that runs its code while it runs. Only that
     * thread is interrupted, and only then, so an interrupt never reaches the thread's next attempt.
     */
    static final class RunningAttempt {
        private final CancellationSignal signal;
        private Thread runner;

        RunningAttempt(CancellationSignal signal) {
            this.signal = signal;
        }

        /** On the step thread, before the step's code runs; a cancel that came first interrupts it at once. */
        synchronized void began(Thread thread) {
            runner = thread;
            if (signal.isCancelled()) {
                thread.interrupt();
            }
        }

        /** On the step thread, after the step's code: no interrupt meant for this attempt stays behind. */
        synchronized void ended() {
            runner = null;
            Thread.interrupted();
        }

        synchronized void cancel(String why) {
            signal.cancel(why);
            if (runner != null) {
                runner.interrupt();
            }
        }
    }

    /**
     * Which journal records this execution still needs: those whose snapshot is not in the store yet,
     * and, while it is not terminal, its latest one (so a Redis that lost its data can be rebuilt).
     */
    static final class JournalMarks {
        private long latestSequence;
        private long appendFloor;
        private long storedVersion;
        private final ArrayDeque<long[]> unstored = new ArrayDeque<>();

        /** An append begins; its sequence will be at least {@code floor}. */
        synchronized void appending(long floor) {
            appendFloor = floor;
        }

        synchronized void appendFailed() {
            appendFloor = 0;
        }

        synchronized void appended(long sequence, long version) {
            appendFloor = 0;
            latestSequence = sequence;
            if (version > storedVersion) {
                // The store write runs alongside the append and may have landed first.
                unstored.addLast(new long[] {version, sequence});
            }
        }

        /**
         * The execution's snapshot, already in the store, is (also) in the record at {@code sequence}:
         * a recovered execution's latest record, or a carried-forward copy.
         */
        synchronized void latestIs(long sequence) {
            appendFloor = 0;
            latestSequence = sequence;
        }

        synchronized void storedThrough(long version) {
            storedVersion = Math.max(storedVersion, version);
            while (!unstored.isEmpty() && unstored.peekFirst()[0] <= version) {
                unstored.removeFirst();
            }
        }

        /** True when the store holds every journaled transition (none is being appended either). */
        synchronized boolean allStored() {
            return appendFloor == 0 && unstored.isEmpty();
        }

        /** The lowest sequence still needed, or {@code Long.MAX_VALUE} for none. */
        synchronized long needed(boolean terminal) {
            long needed = Long.MAX_VALUE;
            if (appendFloor > 0) {
                needed = appendFloor;
            }
            if (!unstored.isEmpty()) {
                needed = Math.min(needed, unstored.peekFirst()[1]);
            }
            if (!terminal && latestSequence > 0) {
                needed = Math.min(needed, latestSequence);
            }
            return needed;
        }
    }

    /** Puts this execution's ids into the current thread's logging MDC; {@link LogContext#clear()} removes them. */
    void enterLogContext() {
        LogContext.enter(key().tenant().value(), snapshot().session().value(), key().execution().value());
    }
}
