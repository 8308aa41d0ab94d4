package dev.runtimeplane.service.auth;

import io.micronaut.http.HttpStatus;

/**
 * Opening a session was refused for its credential: 401 (none, or not valid), 403 (valid, for another tenant than
 * the body names) or 503 (no tenant credential is configured at all: the operator must configure one).
 */
public final class TenantAccessDenied extends RuntimeException {

    private final HttpStatus status;
    /** Whether a credential was presented (and refused), for {@code WWW-Authenticate}'s {@code error="invalid_token"}. */
    private final boolean tokenPresented;

    private TenantAccessDenied(HttpStatus status, boolean tokenPresented, String message) {
        super(message, null, false, false);
        this.status = status;
        this.tokenPresented = tokenPresented;
    }

    static TenantAccessDenied missing(String message) {
        return new TenantAccessDenied(HttpStatus.UNAUTHORIZED, false, message);
    }

    static TenantAccessDenied invalid(String message) {
        return new TenantAccessDenied(HttpStatus.UNAUTHORIZED, true, message);
    }

    public static TenantAccessDenied wrongTenant(String message) {
        return new TenantAccessDenied(HttpStatus.FORBIDDEN, true, message);
    }

    static TenantAccessDenied notConfigured(String message) {
        return new TenantAccessDenied(HttpStatus.SERVICE_UNAVAILABLE, false, message);
    }

    HttpStatus status() {
        return status;
    }

    boolean tokenPresented() {
        return tokenPresented;
    }
}
