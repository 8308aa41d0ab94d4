package dev.runtimeplane.service.api.problem;

import dev.runtimeplane.core.error.ErrorCode;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import io.micronaut.http.server.netty.NettyHttpRequest;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.Optional;

/**
 * Framework errors (no such route, wrong method, malformed JSON, body too large, unsupported media
 * type) as problem details too, so every error a client sees has the same shape. The framework's own
 * messages are not passed on: they name Java types and arguments, not what the client sent.
 */
@Singleton
@Replaces(ErrorResponseProcessor.class)
public class ProblemErrorResponseProcessor implements ErrorResponseProcessor<Map<String, Object>> {

    @Override
    public MutableHttpResponse<Map<String, Object>> processResponse(ErrorContext context, MutableHttpResponse<?> base) {
        Throwable decoderFailure = decoderFailure(context.getRequest());
        HttpStatus status = statusOf(base.getStatus(), decoderFailure);
        Optional<JsonBodyErrors.BodyError> bodyError = status == HttpStatus.BAD_REQUEST
                ? context.getRootCause().flatMap(JsonBodyErrors::describe) : Optional.empty();
        String field = bodyError.map(JsonBodyErrors.BodyError::field).orElse(null);
        String detail = bodyError.map(JsonBodyErrors.BodyError::detail).orElseGet(() -> detailOf(status));
        String instance = decoderFailure == null ? context.getRequest().getPath() : null;
        MutableHttpResponse<Map<String, Object>> problem = switch (status) {
            // Statuses about a header, with no runtime error code: their own type, naming the header.
            case UNSUPPORTED_MEDIA_TYPE -> Problems.response("unsupported-media-type", "Unsupported media type",
                    status, detail, HttpHeaders.CONTENT_TYPE, instance);
            case NOT_ACCEPTABLE -> Problems.response("not-acceptable", "Not acceptable", status, detail,
                    HttpHeaders.ACCEPT, instance);
            default -> Problems.response(codeOf(status), status, detail, field, instance);
        };
        base.getHeaders().forEach((name, values) -> {
            if (name.equalsIgnoreCase("Allow") || name.equalsIgnoreCase("Retry-After")) {
                values.forEach(value -> problem.header(name, value));
            }
        });
        return problem;
    }

    /** Why Netty could not decode the request's head, or null; its path is then a placeholder, not the client's. */
    private static Throwable decoderFailure(HttpRequest<?> request) {
        if (request instanceof NettyHttpRequest<?> netty && netty.getNativeRequest().decoderResult().isFailure()) {
            return netty.getNativeRequest().decoderResult().cause();
        }
        return null;
    }

    /** Micronaut answers a too-long request line or header block as one "too large"; RFC 9110/6585 separate them. */
    private static HttpStatus statusOf(HttpStatus status, Throwable decoderFailure) {
        return switch (decoderFailure) {
            case TooLongHttpLineException ignored -> HttpStatus.REQUEST_URI_TOO_LONG;
            case TooLongHttpHeaderException ignored -> HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
            case null, default -> status;
        };
    }

    private static String detailOf(HttpStatus status) {
        return switch (status) {
            case BAD_REQUEST -> "the request is malformed: check its path, headers and JSON body against the API document";
            case NOT_FOUND -> "no such resource";
            case METHOD_NOT_ALLOWED -> "this resource does not support the method; the Allow header lists those it does";
            case UNSUPPORTED_MEDIA_TYPE -> "unsupported Content-Type; send application/json";
            case NOT_ACCEPTABLE -> "the resource cannot be represented in a media type the Accept header allows";
            case REQUEST_ENTITY_TOO_LARGE -> "the request body is larger than the server accepts";
            case REQUEST_URI_TOO_LONG -> "the request line is longer than the server accepts";
            case REQUEST_HEADER_FIELDS_TOO_LARGE -> "the request's header fields are larger than the server accepts";
            default -> status.getCode() >= 500 ? "The request failed on the server; it has been logged." : status.getReason();
        };
    }

    private static ErrorCode codeOf(HttpStatus status) {
        return switch (status) {
            case NOT_FOUND -> ErrorCode.NOT_FOUND;
            case METHOD_NOT_ALLOWED -> ErrorCode.METHOD_NOT_ALLOWED;
            case REQUEST_ENTITY_TOO_LARGE -> ErrorCode.TOO_LARGE;
            case REQUEST_URI_TOO_LONG -> ErrorCode.URI_TOO_LONG;
            case REQUEST_HEADER_FIELDS_TOO_LARGE -> ErrorCode.HEADERS_TOO_LARGE;
            case SERVICE_UNAVAILABLE -> ErrorCode.UNAVAILABLE;
            default -> status.getCode() >= 500 ? ErrorCode.INTERNAL : ErrorCode.INVALID_ARGUMENT;
        };
    }
}
