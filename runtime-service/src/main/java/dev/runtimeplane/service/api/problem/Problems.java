package dev.runtimeplane.service.api.problem;

import dev.runtimeplane.core.error.ErrorCode;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * RFC 9457 problem details. The {@code type} is stable per error code
 * ({@code https://runtimeplane.dev/problems/<code>}); {@code detail} is for humans; {@code field}
 * names the offending request field when there is one. Never a stack trace.
 */
public final class Problems {

    public static final String TYPE_BASE = "https://runtimeplane.dev/problems/";
    public static final String PROBLEM_JSON_VALUE = "application/problem+json";
    public static final MediaType PROBLEM_JSON = MediaType.of(PROBLEM_JSON_VALUE);

    private Problems() {
    }

    public static MutableHttpResponse<Map<String, Object>> response(ErrorCode code, HttpStatus status, String detail,
                                                                    String field, String instance) {
        return response(code.id(), title(code), status, detail, field, instance);
    }

    /** A problem whose code is not a runtime {@link ErrorCode} (an HTTP-only one such as {@code unauthenticated}). */
    public static MutableHttpResponse<Map<String, Object>> response(String code, String title, HttpStatus status,
                                                                    String detail, String field, String instance) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", TYPE_BASE + code);
        body.put("title", title);
        body.put("status", status.getCode());
        body.put("detail", detail);
        if (field != null) {
            body.put("field", field);
        }
        if (instance != null) {
            body.put("instance", instance);
        }
        body.put("code", code);
        return HttpResponse.<Map<String, Object>>status(status).contentType(PROBLEM_JSON).body(body);
    }

    /** The HTTP status a runtime error code answers with. */
    public static HttpStatus statusOf(ErrorCode code) {
        return switch (code) {
            case INVALID_ARGUMENT -> HttpStatus.BAD_REQUEST;
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case METHOD_NOT_ALLOWED -> HttpStatus.METHOD_NOT_ALLOWED;
            case IDEMPOTENCY_KEY_REUSED -> HttpStatus.UNPROCESSABLE_ENTITY;
            case URI_TOO_LONG -> HttpStatus.REQUEST_URI_TOO_LONG;
            case HEADERS_TOO_LARGE -> HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
            case CONFLICT, FENCED -> HttpStatus.CONFLICT;
            case VERSION_CONFLICT -> HttpStatus.PRECONDITION_FAILED;
            case PRECONDITION_REQUIRED -> HttpStatus.PRECONDITION_REQUIRED;
            case TOO_LARGE -> HttpStatus.REQUEST_ENTITY_TOO_LARGE;
            case UNKNOWN_TYPE -> HttpStatus.UNPROCESSABLE_ENTITY;
            case TENANT_LIMIT -> HttpStatus.TOO_MANY_REQUESTS;
            case UNAVAILABLE, OVERLOADED, DURABILITY_FAILURE -> HttpStatus.SERVICE_UNAVAILABLE;
            case CORRUPTION, INTERNAL -> HttpStatus.INTERNAL_SERVER_ERROR;
        };
    }

    private static String title(ErrorCode code) {
        return switch (code) {
            case INVALID_ARGUMENT -> "Invalid request";
            case NOT_FOUND -> "Not found";
            case METHOD_NOT_ALLOWED -> "Method not allowed";
            case IDEMPOTENCY_KEY_REUSED -> "Idempotency key reused";
            case URI_TOO_LONG -> "URI too long";
            case HEADERS_TOO_LARGE -> "Header fields too large";
            case CONFLICT -> "Conflict";
            case FENCED -> "Superseded by another replica";
            case VERSION_CONFLICT -> "Stale version";
            case PRECONDITION_REQUIRED -> "Precondition required";
            case TOO_LARGE -> "Too large";
            case UNKNOWN_TYPE -> "Unknown type";
            case UNAVAILABLE -> "Temporarily unavailable";
            case OVERLOADED -> "Overloaded";
            case TENANT_LIMIT -> "Tenant limit reached";
            case DURABILITY_FAILURE -> "Cannot persist";
            case CORRUPTION, INTERNAL -> "Internal error";
        };
    }
}
