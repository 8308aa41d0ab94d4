package dev.runtimeplane.state;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.fail;

import dev.runtimeplane.core.component.HealthSnapshot;
import dev.runtimeplane.core.component.HealthStatus;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waiting on futures and conditions in tests, with generous limits (the machine is shared). */
final class Await {

    static final Duration LIMIT = Duration.ofSeconds(20);

    private Await() {
    }

    /** The future's value; fails the test with the cause when it fails or does not complete in time. */
    static <T> T result(CompletableFuture<T> future) {
        try {
            return future.get(LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("the call failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("the call did not complete within " + LIMIT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** The error the future failed with, which must be a {@code type}. */
    static <E extends Throwable> E failure(Class<E> type, CompletableFuture<?> future) {
        try {
            Object value = future.get(LIMIT.toMillis(), TimeUnit.MILLISECONDS);
            return fail("expected " + type.getSimpleName() + " but the call returned " + value);
        } catch (ExecutionException e) {
            return assertInstanceOf(type, e.getCause(), "the call failed differently: " + e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("the call did not complete within " + LIMIT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    static void until(String what, Duration limit, BooleanSupplier condition) {
        until(() -> what, limit, condition);
    }

    /** Waits for {@code condition}; {@code what} describes it when it fails (evaluated then, to show the latest state). */
    static void until(Supplier<String> what, Duration limit, BooleanSupplier condition) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail(what.get() + " did not happen within " + limit);
            }
            sleep(Duration.ofMillis(20));
        }
    }

    static void healthUp(StateSurface surface) {
        until(() -> "state surface health UP (last: " + surface.health() + ")", LIMIT,
                () -> surface.health().status() == HealthStatus.UP);
    }

    static HealthSnapshot health(StateSurface surface, HealthStatus status, Duration limit) {
        until(() -> "health " + status + " (last: " + surface.health() + ")", limit, () -> surface.health().status() == status);
        return surface.health();
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
