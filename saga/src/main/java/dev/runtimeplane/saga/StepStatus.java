package dev.runtimeplane.saga;

/** Where one step of an execution stands. */
public enum StepStatus {
    /** Not reached yet. */
    PENDING,
    /** An attempt has started and its outcome is not recorded yet (after a crash it runs again). */
    RUNNING,
    /** An attempt failed; the next one starts at the recorded retry time. */
    RETRY_WAIT,
    /** Completed; its result is recorded. */
    SUCCEEDED,
    /** Gave up: out of attempts, a non-retryable error, a timeout, the deadline, or a cancel. */
    FAILED,
    /** Its compensation has started and is not recorded as finished. */
    COMPENSATING,
    /** A compensation attempt failed; the next one starts at the recorded retry time. */
    COMPENSATION_RETRY_WAIT,
    /** Undone. */
    COMPENSATED,
    /** Its compensation gave up after its retries; the execution is FAILED. */
    COMPENSATION_FAILED
}
