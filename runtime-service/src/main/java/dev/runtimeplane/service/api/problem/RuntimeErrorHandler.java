package dev.runtimeplane.service.api.problem;

import dev.runtimeplane.core.error.ErrorCode;
import dev.runtimeplane.core.error.OverloadedException;
import dev.runtimeplane.core.error.RuntimePlaneException;
import dev.runtimeplane.core.error.TenantLimitException;
import dev.runtimeplane.core.error.UnavailableException;
import dev.runtimeplane.core.error.VersionConflictException;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns the runtime's typed errors into problem details; 503s and 429s carry Retry-After (429s name the limit). */
@Produces
@Singleton
public class RuntimeErrorHandler implements ExceptionHandler<RuntimePlaneException, HttpResponse<?>> {

    private static final Logger LOG = LoggerFactory.getLogger(RuntimeErrorHandler.class);

    @Override
    public HttpResponse<?> handle(HttpRequest request, RuntimePlaneException error) {
        HttpStatus status = Problems.statusOf(error.code());
        String detail = error.getMessage();
        if (status.getCode() >= 500 && status != HttpStatus.SERVICE_UNAVAILABLE) {
            LOG.error("{} {} failed", request.getMethod(), request.getPath(), error);
            detail = "The request failed on the server; it has been logged.";
        } else if (status == HttpStatus.SERVICE_UNAVAILABLE) {
            LOG.warn("{} {}: {}", request.getMethod(), request.getPath(), error.getMessage());
        }
        // Over HTTP a client names the version it expects only in If-Match (the ETag it read), so a stale
        // version is that header's fault in the client's terms, whatever the store calls it.
        String field = error instanceof VersionConflictException ? HttpHeaders.IF_MATCH : error.field().orElse(null);
        MutableHttpResponse<Map<String, Object>> response = Problems.response(
                error.code(), status, detail, field, request.getPath());
        if (error instanceof TenantLimitException limited) {
            response.body().put("limit", limited.limit());
        }
        if (status == HttpStatus.SERVICE_UNAVAILABLE || status == HttpStatus.TOO_MANY_REQUESTS) {
            Duration retryAfter = switch (error) {
                case UnavailableException unavailable -> unavailable.retryAfter();
                case OverloadedException overloaded -> overloaded.retryAfter();
                case TenantLimitException limited -> limited.retryAfter();
                default -> Duration.ofSeconds(1);
            };
            long seconds = Math.max(1, retryAfter.toSeconds());
            response.header(HttpHeaders.RETRY_AFTER, String.valueOf(seconds));
        }
        if (error.code() == ErrorCode.DURABILITY_FAILURE) {
            LOG.error("durability failure on {} {}", request.getMethod(), request.getPath(), error);
        }
        return response;
    }
}
