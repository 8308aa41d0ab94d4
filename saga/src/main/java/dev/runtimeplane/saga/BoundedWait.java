package dev.runtimeplane.saga;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waits for a future at most a given time, without a timed park. On JDK 25 a virtual thread's timed park
 * schedules its wake-up on the virtual-thread scheduler's delay queue and cancels it when the thread wakes
 * first, and both wake that queue's thread: with three bounded waits per saga (lease, first write, start
 * confirmation) that was about 4% of the coordinator's CPU at 64 sagas in flight (async-profiler, CPU
 * samples under {@code DelayScheduler}). Here the wait parks without a time limit and its time limit is an
 * entry in one shared timer's queue; the timer's thread wakes only when an entry becomes the earliest one,
 * which with equal limits is about once per limit, not twice per wait. A future that is already done costs
 * no entry at all.
 */
final class BoundedWait {

    private static final ScheduledThreadPoolExecutor TIMER = timer();

    /**
     * What a waiter's copy of the future fails with when its limit passes; never seen by callers. One shared
     * instance without a stack trace, so a wait that ends in time costs no exception.
     */
    private static final RuntimeException EXPIRED = new RuntimeException("wait limit passed", null, false, false) {
    };

    private BoundedWait() {
    }

    /**
     * As {@code future.get(timeoutNanos, NANOSECONDS)}: the value, or ExecutionException with the future's
     * failure, or TimeoutException when it is not done within {@code timeoutNanos}; interruptible.
     */
    static <T> T get(CompletableFuture<T> future, long timeoutNanos)
            throws InterruptedException, ExecutionException, TimeoutException {
        if (future.isDone()) {
            return future.get();
        }
        if (timeoutNanos <= 0) {
            throw new TimeoutException();
        }
        CompletableFuture<T> waiter = future.copy();
        ScheduledFuture<?> limit = TIMER.schedule(() -> waiter.completeExceptionally(EXPIRED), timeoutNanos,
                TimeUnit.NANOSECONDS);
        try {
            return waiter.get();
        } catch (ExecutionException e) {
            if (e.getCause() == EXPIRED) {
                throw new TimeoutException();
            }
            throw e;
        } finally {
            limit.cancel(false);
        }
    }

    private static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().daemon().name("saga-wait-timer").factory());
        // A cancelled limit leaves the queue at once (the queue stays as long as the waits in progress).
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }
}
