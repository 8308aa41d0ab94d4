package dev.runtimeplane.core.error;

/** A caller-supplied value is malformed or out of range; {@link #field()} names it. */
public class InvalidArgumentException extends RuntimePlaneException {

    public InvalidArgumentException(String field, String message) {
        super(ErrorCode.INVALID_ARGUMENT, message, field, null);
    }
}
