package dev.runtimeplane.declarative;

import dev.runtimeplane.saga.RetryAfterHint;
import java.time.Duration;

/**
 * An HTTP step's call that did not succeed. Its message never holds a secret: response text in it has
 * secrets' values masked.
 */
public abstract sealed class HttpStepException extends RuntimeException
        permits HttpStepException.Retryable, HttpStepException.Permanent {

    private HttpStepException(String message) {
        super(message, null, false, false);
    }

    /** Worth another attempt under the step's retry policy, after at least {@link #retryAfter()} if given. */
    public static final class Retryable extends HttpStepException implements RetryAfterHint {
        private final Duration retryAfter;

        public Retryable(String message, Duration retryAfter) {
            super(message);
            this.retryAfter = retryAfter;
        }

        @Override
        public Duration retryAfter() {
            return retryAfter;
        }
    }

    /** Fails the step at once (the retry policies built for HTTP steps list it as non-retryable). */
    public static final class Permanent extends HttpStepException {
        public Permanent(String message) {
            super(message);
        }
    }
}
