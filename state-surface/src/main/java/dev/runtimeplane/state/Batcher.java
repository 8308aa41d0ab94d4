package dev.runtimeplane.state;

import dev.runtimeplane.core.error.UnavailableException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * Sends items to Redis in batches, one batch in flight at a time: items submitted while a batch is on its
 * way wait and leave together in the next one. At low load a batch holds one item and costs what a single
 * call costs; under load the cost per item falls, because one script call (and one command per key it
 * touches) serves the whole batch. Each item's future completes when its batch has been applied (or fails
 * with it), so a caller waits for exactly what it waited for before.
 *
 * <p>Bounded: past {@code maxQueued} waiting items a submit fails at once with {@link UnavailableException}
 * (the callers retry writes with backoff), never grows without end.
 */
final class Batcher<T, R> {

    private static final Duration RETRY_AFTER = Duration.ofMillis(100);
    /** Where a batch's outcome is handled: a virtual thread each (cheap, and never the I/O thread). */
    private static final Executor AFTER_BATCH = Thread::startVirtualThread;

    private final String what;
    private final int maxBatch;
    private final int maxQueued;
    private final Function<List<T>, CompletableFuture<List<R>>> send;
    private final ArrayDeque<Waiting<T, R>> queue = new ArrayDeque<>();
    private boolean inFlight; // guarded by this

    /**
     * {@code send} applies one batch (in submit order) and answers each item's result, in the same order;
     * {@code what} names the items in errors.
     */
    Batcher(String what, int maxBatch, int maxQueued, Function<List<T>, CompletableFuture<List<R>>> send) {
        this.what = what;
        this.maxBatch = maxBatch;
        this.maxQueued = maxQueued;
        this.send = send;
    }

    /** Completes with the item's result once a batch holding {@code item} has been applied. */
    CompletableFuture<R> submit(T item) {
        Waiting<T, R> waiting = new Waiting<>(item, new CompletableFuture<>());
        List<Waiting<T, R>> batch = null;
        synchronized (this) {
            if (queue.size() >= maxQueued) {
                return CompletableFuture.failedFuture(new UnavailableException(
                        maxQueued + " " + what + " are waiting for Redis already", RETRY_AFTER, null));
            }
            queue.add(waiting);
            if (!inFlight) {
                inFlight = true;
                batch = takeBatch();
            }
        }
        if (batch != null) {
            send(batch);
        }
        return waiting.done();
    }

    /** Items waiting for the next batch: a gauge for the metrics. */
    synchronized int waiting() {
        return queue.size();
    }

    private void send(List<Waiting<T, R>> batch) {
        CompletableFuture<List<R>> applied;
        try {
            applied = send.apply(batch.stream().map(Waiting::item).toList());
        } catch (RuntimeException e) {
            applied = CompletableFuture.failedFuture(e);
        }
        // A batch of one (low load) is handled where its reply arrives: a hop to another thread would only add
        // a wake-up to its latency. A larger one moves off the connection's I/O thread, which encodes and
        // decodes every command of this replica: building the next batch and waking this one's callers (whose
        // continuations write more) run elsewhere.
        if (batch.size() == 1) {
            applied.whenComplete((results, error) -> applied(batch, results, error));
        } else {
            applied.whenCompleteAsync((results, error) -> applied(batch, results, error), AFTER_BATCH);
        }
    }

    private void applied(List<Waiting<T, R>> batch, List<R> results, Throwable error) {
        List<Waiting<T, R>> next;
        synchronized (this) {
            next = queue.isEmpty() ? null : takeBatch();
            inFlight = next != null;
        }
        if (next != null) {
            send(next); // before waking this batch's callers: Redis works on the next one meanwhile
        }
        for (int i = 0; i < batch.size(); i++) {
            if (error == null) {
                batch.get(i).done().complete(results.get(i));
            } else {
                batch.get(i).done().completeExceptionally(error);
            }
        }
    }

    private List<Waiting<T, R>> takeBatch() {
        List<Waiting<T, R>> batch = new ArrayList<>(Math.min(maxBatch, queue.size()));
        while (batch.size() < maxBatch && !queue.isEmpty()) {
            batch.add(queue.poll());
        }
        return batch;
    }

    private record Waiting<T, R>(T item, CompletableFuture<R> done) {
    }
}
