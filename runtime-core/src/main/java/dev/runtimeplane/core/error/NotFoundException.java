package dev.runtimeplane.core.error;

/** The resource does not exist or is not visible to the caller (the two are indistinguishable on purpose). */
public class NotFoundException extends RuntimePlaneException {

    public NotFoundException(String message) {
        super(ErrorCode.NOT_FOUND, message);
    }
}
