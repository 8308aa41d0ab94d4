package dev.runtimeplane.service.api.problem;

import dev.runtimeplane.core.error.ErrorCode;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.Optional;

/**
 * Framework errors (no such route, malformed JSON, body too large, unsupported media type) as problem
 * details too, so every error a client sees has the same shape.
 */
@Singleton
@Replaces(ErrorResponseProcessor.class)
public class ProblemErrorResponseProcessor implements ErrorResponseProcessor<Map<String, Object>> {

    @Override
    public MutableHttpResponse<Map<String, Object>> processResponse(ErrorContext context, MutableHttpResponse<?> base) {
        HttpStatus status = base.getStatus();
        Optional<JsonBodyErrors.BodyError> bodyError = status == HttpStatus.BAD_REQUEST
                ? context.getRootCause().flatMap(JsonBodyErrors::describe) : Optional.empty();
        Optional<Error> first = context.getErrors().stream().findFirst();
        String field = bodyError.map(JsonBodyErrors.BodyError::field)
                .or(() -> first.flatMap(Error::getPath).filter(path -> !path.isBlank()))
                .orElse(null);
        String detail = bodyError.map(JsonBodyErrors.BodyError::detail)
                .or(() -> first.map(Error::getMessage).filter(message -> status.getCode() < 500))
                .orElse(status.getCode() >= 500 ? "The request failed on the server; it has been logged." : status.getReason());
        MutableHttpResponse<Map<String, Object>> problem =
                Problems.response(codeOf(status), status, detail, field, context.getRequest().getPath());
        base.getHeaders().forEach((name, values) -> {
            if (name.equalsIgnoreCase("Allow") || name.equalsIgnoreCase("Retry-After")) {
                values.forEach(value -> problem.header(name, value));
            }
        });
        return problem;
    }

    private static ErrorCode codeOf(HttpStatus status) {
        return switch (status) {
            case NOT_FOUND, METHOD_NOT_ALLOWED -> ErrorCode.NOT_FOUND;
            case REQUEST_ENTITY_TOO_LARGE -> ErrorCode.TOO_LARGE;
            case SERVICE_UNAVAILABLE -> ErrorCode.UNAVAILABLE;
            default -> status.getCode() >= 500 ? ErrorCode.INTERNAL : ErrorCode.INVALID_ARGUMENT;
        };
    }
}
