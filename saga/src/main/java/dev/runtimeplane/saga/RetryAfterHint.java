package dev.runtimeplane.saga;

import java.time.Duration;

/**
 * Implemented by a step's exception that knows how long to wait before the next attempt (an HTTP
 * {@code Retry-After}, for example); {@link RetryPolicy#backoff(int, Throwable)} waits at least that long,
 * up to the policy's {@code maxBackoff}.
 */
public interface RetryAfterHint {

    /** The wait the failed call asked for, or null when it did not say. */
    Duration retryAfter();
}
