package dev.runtimeplane.core.error;

import java.time.Duration;

/**
 * Refused at once because a bounded queue or limit is full (for example the executions a replica holds).
 * Nothing was accepted; safe to retry after {@link #retryAfter()}, here or on another replica.
 */
public class OverloadedException extends RuntimePlaneException {

    private final Duration retryAfter;

    public OverloadedException(String message, Duration retryAfter) {
        super(ErrorCode.OVERLOADED, message, null, null);
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
