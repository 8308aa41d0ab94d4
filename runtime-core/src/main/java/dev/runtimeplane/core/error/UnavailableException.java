package dev.runtimeplane.core.error;

import java.time.Duration;

/** A dependency is unreachable or the process is draining. Safe to retry after {@link #retryAfter()}. */
public class UnavailableException extends RuntimePlaneException {

    private final Duration retryAfter;

    public UnavailableException(String message, Duration retryAfter, Throwable cause) {
        super(ErrorCode.UNAVAILABLE, message, null, cause);
        this.retryAfter = retryAfter;
    }

    public UnavailableException(String message, Throwable cause) {
        this(message, Duration.ofSeconds(1), cause);
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
