package dev.runtimeplane.saga;

import dev.runtimeplane.core.error.ErrorCode;
import dev.runtimeplane.core.error.RuntimePlaneException;

/**
 * An operator's action that does not apply to the execution's current state (it may just have changed):
 * CONFLICT, with the state found and, when another replica drives it, that replica.
 */
public final class StateConflictException extends RuntimePlaneException {

    private final SagaState currentState;
    private final String owner;

    StateConflictException(String message, SagaState currentState, String owner) {
        super(ErrorCode.CONFLICT, message, "state", null);
        this.currentState = currentState;
        this.owner = owner;
    }

    public SagaState currentState() {
        return currentState;
    }

    /** The replica driving the execution, or null. */
    public String owner() {
        return owner;
    }
}
