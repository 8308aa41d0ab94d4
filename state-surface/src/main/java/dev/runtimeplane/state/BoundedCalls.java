package dev.runtimeplane.state;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Issues asynchronous Redis calls with at most {@code limit} in flight (pipelined on the shared
 * connection), then waits for all of them. For a blocking caller on its own thread, such as the
 * journal replay; never for an event loop.
 */
final class BoundedCalls {

    private final int limit;
    private final Semaphore permits;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    BoundedCalls(int limit) {
        this.limit = limit;
        this.permits = new Semaphore(limit);
    }

    /** Starts {@code call} once fewer than {@code limit} calls are in flight. */
    void submit(Supplier<CompletableFuture<?>> call) throws InterruptedException {
        permits.acquire();
        CompletableFuture<?> pending;
        try {
            pending = call.get();
        } catch (RuntimeException e) {
            pending = CompletableFuture.failedFuture(e);
        }
        pending.whenComplete((value, error) -> {
            if (error != null) {
                failure.compareAndSet(null, error);
            }
            permits.release();
        });
    }

    /** Waits until every submitted call has completed; rethrows the first failure. */
    void awaitAll() throws InterruptedException {
        permits.acquire(limit);
        permits.release(limit);
        Throwable first = failure.getAndSet(null);
        if (first != null) {
            throw Failures.map("restore or carry sessions", first);
        }
    }
}
