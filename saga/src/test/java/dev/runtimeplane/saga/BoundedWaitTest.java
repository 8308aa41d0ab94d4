package dev.runtimeplane.saga;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** BoundedWait answers as {@code CompletableFuture.get(timeout)} does, on virtual and platform threads. */
class BoundedWaitTest {

    private static final long LONG = TimeUnit.SECONDS.toNanos(30);

    @Test
    void aValueThatArrivesWhileWaitingIsReturned() throws Exception {
        CompletableFuture<String> future = new CompletableFuture<>();
        AtomicReference<Object> seen = new AtomicReference<>();
        Thread waiter = Thread.ofVirtual().start(() -> seen.set(outcome(future, LONG)));
        future.complete("done");
        waiter.join();
        assertEquals("done", seen.get());
    }

    @Test
    void aFailureSurfacesAsTheFuturesOwnCauseEvenIfItIsATimeout() throws Exception {
        TimeoutException own = new TimeoutException("the store's own");
        ExecutionException thrown = assertThrows(ExecutionException.class,
                () -> BoundedWait.get(CompletableFuture.failedFuture(own), LONG));
        assertSame(own, thrown.getCause());

        CompletableFuture<String> later = new CompletableFuture<>();
        AtomicReference<Object> seen = new AtomicReference<>();
        Thread waiter = Thread.ofVirtual().start(() -> seen.set(outcome(later, LONG)));
        IllegalStateException failure = new IllegalStateException("fenced");
        later.completeExceptionally(failure);
        waiter.join();
        assertSame(failure, ((ExecutionException) seen.get()).getCause());
    }

    @Test
    void aFutureNotDoneInTimeEndsTheWaitWithATimeoutAndIsLeftAlone() throws Exception {
        CompletableFuture<String> never = new CompletableFuture<>();
        assertThrows(TimeoutException.class, () -> BoundedWait.get(never, TimeUnit.MILLISECONDS.toNanos(20)));
        assertThrows(TimeoutException.class, () -> BoundedWait.get(never, 0));
        // The shared future is not completed by a waiter's timeout: other waiters still get its value.
        never.complete("late");
        assertEquals("late", BoundedWait.get(never, 0));
    }

    @Test
    void anInterruptEndsTheWait() throws Exception {
        CompletableFuture<String> never = new CompletableFuture<>();
        CountDownLatch waiting = new CountDownLatch(1);
        AtomicReference<Object> seen = new AtomicReference<>();
        Thread waiter = Thread.ofVirtual().start(() -> {
            waiting.countDown();
            seen.set(outcome(never, LONG));
        });
        waiting.await();
        waiter.interrupt();
        waiter.join();
        assertTrue(seen.get() instanceof InterruptedException);
        assertFalse(never.isDone());
    }

    private static Object outcome(CompletableFuture<String> future, long nanos) {
        try {
            return BoundedWait.get(future, nanos);
        } catch (Exception e) {
            return e;
        }
    }
}
