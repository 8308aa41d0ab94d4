package dev.runtimeplane.core.error;

import java.time.Duration;

/**
 * Refused at once because the calling tenant reached one of its own limits (request rate, sessions open,
 * executions or starts in flight); other tenants are unaffected. Nothing was accepted; safe to retry after
 * {@link #retryAfter()}. HTTP answers 429; a full replica is {@link OverloadedException} (503) instead.
 */
public class TenantLimitException extends RuntimePlaneException {

    private final String limit;
    private final Duration retryAfter;

    /** @param limit the limit's stable name, e.g. {@code sessions-open} (clients may switch on it) */
    public TenantLimitException(String limit, String message, Duration retryAfter) {
        super(ErrorCode.TENANT_LIMIT, message, null, null);
        this.limit = limit;
        this.retryAfter = retryAfter;
    }

    public String limit() {
        return limit;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
