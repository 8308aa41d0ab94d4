package dev.runtimeplane.saga;

import dev.runtimeplane.core.error.ErrorCode;
import dev.runtimeplane.core.error.RuntimePlaneException;

/** No saga definition is registered under the requested name (and version). */
public final class UnknownSagaException extends RuntimePlaneException {

    public UnknownSagaException(String message) {
        super(ErrorCode.UNKNOWN_TYPE, message, "definition", null);
    }
}
