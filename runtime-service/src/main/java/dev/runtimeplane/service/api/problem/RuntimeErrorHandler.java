package dev.runtimeplane.service.api.problem;

import dev.runtimeplane.core.error.ErrorCode;
import dev.runtimeplane.core.error.RuntimePlaneException;
import dev.runtimeplane.core.error.UnavailableException;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns the runtime's typed errors into problem details; 503s carry Retry-After. */
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
        MutableHttpResponse<Map<String, Object>> response = Problems.response(
                error.code(), status, detail, error.field().orElse(null), request.getPath());
        if (status == HttpStatus.SERVICE_UNAVAILABLE) {
            long seconds = error instanceof UnavailableException unavailable
                    ? Math.max(1, unavailable.retryAfter().toSeconds()) : 1;
            response.header(HttpHeaders.RETRY_AFTER, String.valueOf(seconds));
        }
        if (error.code() == ErrorCode.DURABILITY_FAILURE) {
            LOG.error("durability failure on {} {}", request.getMethod(), request.getPath(), error);
        }
        return response;
    }
}
