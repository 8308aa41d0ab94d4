package dev.runtimeplane.service.admin;

import io.micronaut.http.HttpStatus;

/** An admin request refused before anything ran: 401 (no or wrong token) or 503 (no admin credential configured). */
final class AdminAccessDenied extends RuntimeException {

    private final HttpStatus status;

    private AdminAccessDenied(HttpStatus status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    static AdminAccessDenied unauthenticated(String message) {
        return new AdminAccessDenied(HttpStatus.UNAUTHORIZED, message);
    }

    static AdminAccessDenied disabled(String message) {
        return new AdminAccessDenied(HttpStatus.SERVICE_UNAVAILABLE, message);
    }

    HttpStatus status() {
        return status;
    }
}
