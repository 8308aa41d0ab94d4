package dev.runtimeplane.core.error;

import java.util.Objects;
import java.util.Optional;

/**
 * The root of the runtime's errors. Each carries a stable {@link ErrorCode}, a message fit for a
 * human client (never internal details), and optionally the request field it is about.
 */
public class RuntimePlaneException extends RuntimeException {

    private final ErrorCode code;
    private final String field;

    public RuntimePlaneException(ErrorCode code, String message) {
        this(code, message, null, null);
    }

    public RuntimePlaneException(ErrorCode code, String message, String field, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
        this.field = field;
    }

    public ErrorCode code() {
        return code;
    }

    /** The offending request field, when the error is about one. */
    public Optional<String> field() {
        return Optional.ofNullable(field);
    }
}
