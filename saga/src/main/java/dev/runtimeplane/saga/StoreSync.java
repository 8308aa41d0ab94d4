package dev.runtimeplane.saga;

import dev.runtimeplane.core.error.FencedException;
import dev.runtimeplane.core.port.ExecutionRecord;
import dev.runtimeplane.core.port.ExecutionStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one execution's transitions to the state store, one write in flight at a time. Transitions
 * that arrive while a write is in flight (a cancel racing the driver, a retry after a failure) are
 * coalesced into the next write: the latest snapshot plus all their events in order (the store ignores
 * versions it already has, so skipping intermediate snapshots is safe). A write that fails for lack of
 * the store is retried with backoff; a fenced write means another replica owns the execution.
 */
final class StoreSync {

    private static final Logger LOG = LoggerFactory.getLogger(StoreSync.class);
    private static final Duration MIN_RETRY = Duration.ofMillis(50);
    private static final Duration MAX_RETRY = Duration.ofSeconds(2);

    /** What the coordinator does with the outcome of writes. */
    interface Listener {
        /** The store now holds {@code snapshot} (and every event up to it). Called on the store's thread: must not block. */
        void stored(LiveExecution execution, ExecutionSnapshot snapshot);

        /** A write was fenced: another replica holds the lease. */
        void fenced(LiveExecution execution, FencedException error);

        /** A write failed and will be retried. */
        void writeFailed(LiveExecution execution, Throwable error);
    }

    private final LiveExecution execution;
    private final ExecutionStore store;
    private final Executor callbacks;
    private final ScheduledExecutorService scheduler;
    private final Listener listener;

    private ExecutionSnapshot pending;
    private byte[] pendingBody;
    private List<byte[]> pendingEvents = new ArrayList<>();
    private boolean inFlight;
    private boolean closed;
    private int consecutiveFailures;
    private long submittedVersion;
    private long storedVersion;
    private final List<Waiter> waiters = new ArrayList<>();

    StoreSync(LiveExecution execution, ExecutionStore store, Executor callbacks, ScheduledExecutorService scheduler,
              Listener listener, long storedVersion) {
        this.execution = execution;
        this.store = store;
        this.callbacks = callbacks;
        this.scheduler = scheduler;
        this.listener = listener;
        this.storedVersion = storedVersion;
        this.submittedVersion = storedVersion;
    }

    /**
     * Queues {@code snapshot} (whose encoding is {@code body}) and the encoded events its transition added;
     * the future completes once the store holds it (or fails if the execution is lost first).
     */
    synchronized CompletableFuture<Void> submit(ExecutionSnapshot snapshot, byte[] body, List<byte[]> events) {
        if (!closed) {
            pending = snapshot;
            pendingBody = body;
            pendingEvents.addAll(events);
            submittedVersion = snapshot.version();
            if (!inFlight) {
                send();
            }
        }
        return awaitStored(snapshot.version());
    }

    /** Completes once the store holds {@code version} or later; fails if the execution is lost first. */
    synchronized CompletableFuture<Void> awaitStored(long version) {
        CompletableFuture<Void> future = new CompletableFuture<>();
        if (storedVersion >= version) {
            future.complete(null);
        } else if (closed) {
            future.completeExceptionally(new IllegalStateException("the execution is no longer driven here"));
        } else {
            waiters.add(new Waiter(version, future));
        }
        return future;
    }

    /** Completes once everything submitted so far is in the store. */
    synchronized CompletableFuture<Void> flushed() {
        return awaitStored(submittedVersion);
    }

    synchronized boolean idle() {
        return !inFlight && pending == null;
    }

    /** Stops writing; waiters fail. Used when the execution is lost or abandoned. */
    void close() {
        List<Waiter> failed;
        synchronized (this) {
            closed = true;
            pending = null;
            pendingEvents = new ArrayList<>();
            failed = new ArrayList<>(waiters);
            waiters.clear();
        }
        for (Waiter waiter : failed) {
            waiter.future.completeExceptionally(new IllegalStateException("the execution is no longer driven here"));
        }
    }

    private void send() {
        ExecutionSnapshot snapshot = pending;
        byte[] body = pendingBody;
        List<byte[]> events = pendingEvents;
        pending = null;
        pendingBody = null;
        pendingEvents = new ArrayList<>();
        inFlight = true;
        ExecutionRecord record = SnapshotCodec.record(snapshot, body);
        CompletableFuture<Boolean> write;
        try {
            write = store.write(record, events, execution.lease());
        } catch (RuntimeException e) {
            write = CompletableFuture.failedFuture(e);
        }
        // Success is handled on the store's own thread (it only does bookkeeping and wakes waiters); a
        // failure may stop the driver, which can wait for a lock, so it moves to a thread of ours.
        write.whenComplete((applied, error) -> {
            if (error == null) {
                done(snapshot, body, events, null);
            } else {
                callbacks.execute(() -> done(snapshot, body, events, error));
            }
        });
    }

    private void done(ExecutionSnapshot snapshot, byte[] body, List<byte[]> events, Throwable error) {
        Throwable cause = error == null ? null : Failures.unwrap(error);
        if (cause instanceof FencedException fenced) {
            close();
            listener.fenced(execution, fenced);
            return;
        }
        List<Waiter> ready = new ArrayList<>();
        synchronized (this) {
            if (closed) {
                return;
            }
            if (cause == null) {
                consecutiveFailures = 0;
                storedVersion = Math.max(storedVersion, snapshot.version());
                for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
                    Waiter waiter = it.next();
                    if (waiter.version <= storedVersion) {
                        ready.add(waiter);
                        it.remove();
                    }
                }
                inFlight = false;
                if (pending != null) {
                    send();
                }
            } else {
                consecutiveFailures++;
                if (pending == null) {
                    pending = snapshot;
                    pendingBody = body;
                }
                List<byte[]> merged = new ArrayList<>(events);
                merged.addAll(pendingEvents);
                pendingEvents = merged;
                long delay = Math.min(MAX_RETRY.toMillis(), MIN_RETRY.toMillis() << Math.min(consecutiveFailures, 6));
                scheduler.schedule(this::retry, delay, TimeUnit.MILLISECONDS);
            }
        }
        if (cause == null) {
            listener.stored(execution, snapshot);
            for (Waiter waiter : ready) {
                waiter.future.complete(null);
            }
        } else {
            if (consecutiveFailuresLogged()) {
                LOG.warn("writing execution {} to the state store failed; retrying: {}", execution.key().execution(),
                        cause.toString());
            }
            listener.writeFailed(execution, cause);
        }
    }

    private synchronized boolean consecutiveFailuresLogged() {
        return consecutiveFailures == 1 || consecutiveFailures % 20 == 0;
    }

    private synchronized void retry() {
        if (closed) {
            return;
        }
        if (pending != null) {
            send();
        } else {
            inFlight = false;
        }
    }

    private record Waiter(long version, CompletableFuture<Void> future) {
    }
}
