package dev.runtimeplane.saga;

/** The kinds of entries in an execution's history. */
public enum SagaEventType {
    /** The execution was accepted (its start is durable). */
    STARTED,
    /** An attempt of a step's action started ({@code attempt}; detail "resumed" after a crash or takeover). */
    STEP_STARTED,
    /** A step's action completed and its result is recorded. */
    STEP_SUCCEEDED,
    /** An attempt of a step's action failed ({@code attempt}, {@code detail} = error, {@code retryAt} when it will retry). */
    STEP_FAILED,
    /** A client asked to cancel. */
    CANCEL_REQUESTED,
    /** The execution began compensating ({@code detail} = the cause). */
    COMPENSATION_STARTED,
    /** An attempt of a step's compensation started. */
    STEP_COMPENSATION_STARTED,
    /** A step's compensation completed. */
    STEP_COMPENSATED,
    /** An attempt of a step's compensation failed ({@code retryAt} when it will retry). */
    STEP_COMPENSATION_FAILED,
    /** A replica took over driving the execution after a restart or from a replica that died ({@code detail}). */
    RESUMED,
    /** The execution reached a terminal state ({@code state}; {@code detail} = error when FAILED, the note when RESOLVED). */
    FINISHED,
    /**
     * An operator acted on the execution through the admin API ({@code actor}; {@code detail} =
     * {@code "<action>: <reason>"}). Last, because events store the type's ordinal.
     */
    ADMIN_ACTION
}
