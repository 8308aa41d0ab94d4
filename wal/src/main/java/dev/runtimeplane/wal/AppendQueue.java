package dev.runtimeplane.wal;

import dev.runtimeplane.core.error.RuntimePlaneException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Where appenders leave their requests for the writer. Sequences are handed out here, under the same
 * lock that orders the queue, so sequence order is write order. The writer takes everything queued in
 * one go; it is only woken when it is actually waiting.
 *
 * <p>Bounded: what waits for the writer (queued, or in the group being written) may not pass
 * {@link WalOptions#maxPendingBytes()} or {@link WalOptions#maxPendingAppends()}. An append that would
 * pass either is refused at once, its future failed with {@code OVERLOADED}; it never waits for room,
 * so no appender (an event loop among them) ever blocks here beyond the short lock. Flush markers
 * carry no records and are never refused: each has a caller waiting on it.
 */
final class AppendQueue {

    enum Take {
        /** Requests were moved into the caller's list. */
        TAKEN,
        /** Nothing arrived within the timeout. */
        TIMED_OUT,
        /** The queue is closed or failed and empty: the writer should stop. */
        FINISHED
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final AtomicLong pendingBytes = new AtomicLong();
    private final AtomicInteger pendingAppends = new AtomicInteger();
    private final AtomicLong overloaded = new AtomicLong();
    private final List<AppendRequest> pending = new ArrayList<>();
    private final WalOptions options;
    private long nextSequence;
    private volatile long lastAssigned;
    private boolean writerWaiting;
    private RuntimePlaneException refusal;

    AppendQueue(long lastSequence, WalOptions options) {
        this.nextSequence = lastSequence + 1;
        this.lastAssigned = lastSequence;
        this.options = options;
    }

    /**
     * Gives the request its sequences and queues it, or fails its future when the log takes no more
     * appends or the queue is full.
     */
    void offer(AppendRequest request) {
        RuntimePlaneException refused;
        lock.lock();
        try {
            refused = refusal;
            if (refused == null && !request.isFlush() && isFullFor(request)) {
                refused = WalErrors.overloaded(options, pendingAppends.get(), pendingBytes.get());
                overloaded.incrementAndGet();
            }
            if (refused == null) {
                request.assignFirstSequence(nextSequence);
                nextSequence += request.count();
                lastAssigned = nextSequence - 1;
                pending.add(request);
                if (!request.isFlush()) {
                    pendingBytes.addAndGet(request.encodedSize());
                    pendingAppends.incrementAndGet();
                }
                if (writerWaiting) {
                    notEmpty.signal();
                }
            }
        } finally {
            lock.unlock();
        }
        if (refused != null) {
            request.future().completeExceptionally(refused);
        }
    }

    private boolean isFullFor(AppendRequest request) {
        return pendingAppends.get() >= options.maxPendingAppends()
                || pendingBytes.get() + request.encodedSize() > options.maxPendingBytes();
    }

    /**
     * Moves everything queued into {@code into}, waiting up to {@code timeoutNanos} for something to
     * arrive. Requests queued before {@link #refuse} are still handed out.
     */
    Take take(List<AppendRequest> into, long timeoutNanos) throws InterruptedException {
        long remaining = timeoutNanos;
        lock.lock();
        try {
            while (pending.isEmpty()) {
                if (refusal != null) {
                    return Take.FINISHED;
                }
                if (remaining <= 0) {
                    return Take.TIMED_OUT;
                }
                writerWaiting = true;
                try {
                    remaining = notEmpty.awaitNanos(remaining);
                } finally {
                    writerWaiting = false;
                }
            }
            into.addAll(pending);
            pending.clear();
            return Take.TAKEN;
        } finally {
            lock.unlock();
        }
    }

    /**
     * From now on, new requests fail with {@code error}. Those already queued stay for the writer to
     * drain (close) unless {@code dropQueued} is set, in which case they are returned for the caller to fail.
     */
    List<AppendRequest> refuse(RuntimePlaneException error, boolean dropQueued) {
        lock.lock();
        try {
            if (refusal == null || dropQueued) {
                refusal = error;
            }
            notEmpty.signalAll();
            if (!dropQueued) {
                return List.of();
            }
            List<AppendRequest> dropped = new ArrayList<>(pending);
            pending.clear();
            return dropped;
        } finally {
            lock.unlock();
        }
    }

    /** Counts appends handed to the writer as no longer pending once written (and forced, if the policy asks). */
    void written(int appends, long bytes) {
        pendingAppends.addAndGet(-appends);
        pendingBytes.addAndGet(-bytes);
    }

    /** Bytes appended but not yet written, record headers included. */
    long pendingBytes() {
        return pendingBytes.get();
    }

    /** Appends (singles and batches) not yet written. */
    int pendingAppends() {
        return pendingAppends.get();
    }

    /** Appends refused because the queue was full, since the log opened. */
    long overloaded() {
        return overloaded.get();
    }

    /** The last sequence handed out, or the last recovered one before any append. */
    long lastAssigned() {
        return lastAssigned;
    }

    /** Requests waiting for the writer (not counting the group it is writing). */
    int queued() {
        lock.lock();
        try {
            return pending.size();
        } finally {
            lock.unlock();
        }
    }
}
