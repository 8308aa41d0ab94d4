package dev.runtimeplane.saga;

import dev.runtimeplane.core.error.UnavailableException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.time.Duration;

/** Small helpers for the futures the ports return and for error text recorded in snapshots. */
final class Failures {

    /** Recorded errors are cut to this many characters: a history is not a log. */
    static final int MAX_ERROR_LENGTH = 1_000;

    private Failures() {
    }

    /** The cause under CompletionException / ExecutionException wrappers. */
    static Throwable unwrap(Throwable error) {
        Throwable current = error;
        while ((current instanceof CompletionException || current instanceof ExecutionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    /**
     * The error's message, cut to {@link #MAX_ERROR_LENGTH}. Never the exception's class name: this text
     * is shown to API clients in execution status and events, which must not see Java internals.
     */
    static String describe(Throwable error) {
        String message = error.getMessage();
        String text = message == null || message.isBlank() ? "the step failed without a message" : message.strip();
        return text.length() <= MAX_ERROR_LENGTH ? text : text.substring(0, MAX_ERROR_LENGTH);
    }

    /**
     * Waits for a store call. Runtime errors surface unwrapped; a call that takes longer than
     * {@code timeout} fails with UNAVAILABLE naming {@code what}.
     */
    static <T> T await(CompletableFuture<T> future, Duration timeout, String what) throws InterruptedException {
        try {
            return BoundedWait.get(future, timeout.toNanos());
        } catch (TimeoutException e) {
            throw new UnavailableException(what + " did not answer within " + timeout, e);
        } catch (ExecutionException e) {
            Throwable cause = unwrap(e);
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new UnavailableException(what + " failed: " + cause, cause);
        }
    }
}
