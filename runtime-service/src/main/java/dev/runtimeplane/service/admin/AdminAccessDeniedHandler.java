package dev.runtimeplane.service.admin;

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
 * 401 with {@code WWW-Authenticate: Bearer} for a missing or wrong admin token; 503 when the admin API is
 * disabled (without Retry-After: waiting does not help, configuring does).
 */
@Produces
@Singleton
public class AdminAccessDeniedHandler implements ExceptionHandler<AdminAccessDenied, HttpResponse<?>> {

    @Override
    public HttpResponse<?> handle(HttpRequest request, AdminAccessDenied error) {
        if (error.status() == HttpStatus.UNAUTHORIZED) {
            return Problems.response("unauthenticated", "Unauthenticated", HttpStatus.UNAUTHORIZED, error.getMessage(),
                            HttpHeaders.AUTHORIZATION, request.getPath())
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"runtime-plane-admin\"");
        }
        return Problems.response(ErrorCode.UNAVAILABLE, error.status(), error.getMessage(), null, request.getPath());
    }
}
