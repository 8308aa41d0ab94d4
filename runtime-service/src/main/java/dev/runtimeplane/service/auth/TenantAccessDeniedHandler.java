package dev.runtimeplane.service.auth;

import dev.runtimeplane.core.error.ErrorCode;
import dev.runtimeplane.service.api.problem.Problems;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/**
 * RFC 9457 problems for a refused tenant credential: 401 {@code unauthenticated} with
 * {@code WWW-Authenticate: Bearer realm="runtime-plane"} (RFC 6750; {@code error="invalid_token"} when one was
 * presented), 403 {@code forbidden}, 503 {@code unavailable} without Retry-After (configuring helps, waiting not).
 */
@Produces
@Singleton
public class TenantAccessDeniedHandler implements ExceptionHandler<TenantAccessDenied, HttpResponse<?>> {

    static final String REALM = "Bearer realm=\"runtime-plane\"";

    @Override
    public HttpResponse<?> handle(HttpRequest request, TenantAccessDenied error) {
        return switch (error.status()) {
            case UNAUTHORIZED -> Problems.response("unauthenticated", "Unauthenticated", HttpStatus.UNAUTHORIZED,
                            error.getMessage(), HttpHeaders.AUTHORIZATION, request.getPath())
                    .header(HttpHeaders.WWW_AUTHENTICATE, error.tokenPresented() ? REALM + ", error=\"invalid_token\"" : REALM);
            case FORBIDDEN -> Problems.response("forbidden", "Forbidden", HttpStatus.FORBIDDEN, error.getMessage(),
                    "tenant", request.getPath());
            default -> Problems.response(ErrorCode.UNAVAILABLE, error.status(), error.getMessage(), null, request.getPath());
        };
    }
}
