package dev.runtimeplane.saga;

/** Why an execution started compensating. */
public enum CompensationCause {
    /** A step ran out of attempts or threw a non-retryable error. */
    STEP_FAILED,
    /** A step attempt ran past the step's timeout. */
    STEP_TIMED_OUT,
    /** The saga's overall deadline passed before the last step completed. */
    DEADLINE_EXCEEDED,
    /** A client cancelled the execution. */
    CANCELLED
}
