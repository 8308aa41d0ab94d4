package dev.runtimeplane.state;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/** Small helpers for the stores' asynchronous methods. */
final class Futures {

    private Futures() {
    }

    /**
     * Runs {@code body}, turning an exception it throws before returning (an invalid argument, a
     * malformed key part) into a failed future, so that callers have one error path.
     */
    static <T> CompletableFuture<T> guard(Supplier<CompletableFuture<T>> body) {
        try {
            return body.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
