package dev.runtimeplane.saga;

/**
 * The durable state of one step inside an {@link ExecutionSnapshot}.
 *
 * @param attempts             action attempts started
 * @param failures             action attempts that failed (what the retry policy counts)
 * @param compensationAttempts compensation attempts started
 * @param compensationFailures compensation attempts that failed
 * @param retryAtMillis        epoch millis of the next attempt in a retry wait, else 0
 */
record StepSnapshot(String name, StepStatus status, int attempts, int failures, int compensationAttempts,
                    int compensationFailures, String result, String lastError, long retryAtMillis) {

    static StepSnapshot pending(String name) {
        return new StepSnapshot(name, StepStatus.PENDING, 0, 0, 0, 0, null, null, 0);
    }

    StepSnapshot startAttempt() {
        return new StepSnapshot(name, StepStatus.RUNNING, attempts + 1, failures, compensationAttempts,
                compensationFailures, result, lastError, 0);
    }

    StepSnapshot succeed(String value) {
        return new StepSnapshot(name, StepStatus.SUCCEEDED, attempts, failures, compensationAttempts,
                compensationFailures, value, lastError, 0);
    }

    StepSnapshot failAttempt(String error, long retryAt) {
        return new StepSnapshot(name, StepStatus.RETRY_WAIT, attempts, failures + 1, compensationAttempts,
                compensationFailures, result, error, retryAt);
    }

    /** Gives up; {@code attemptFailed} is false when no attempt failed (cancel or deadline between attempts). */
    StepSnapshot fail(String error, boolean attemptFailed) {
        return new StepSnapshot(name, StepStatus.FAILED, attempts, failures + (attemptFailed ? 1 : 0),
                compensationAttempts, compensationFailures, result, error, 0);
    }

    StepSnapshot startCompensation() {
        return new StepSnapshot(name, StepStatus.COMPENSATING, attempts, failures, compensationAttempts + 1,
                compensationFailures, result, lastError, 0);
    }

    /** A compensation that gave up, made ready to start again with a fresh failure count (an operator's retry). */
    StepSnapshot reopenCompensation() {
        return new StepSnapshot(name, StepStatus.SUCCEEDED, attempts, failures, compensationAttempts, 0, result,
                lastError, 0);
    }

    StepSnapshot compensated() {
        return new StepSnapshot(name, StepStatus.COMPENSATED, attempts, failures, compensationAttempts,
                compensationFailures, result, lastError, 0);
    }

    StepSnapshot failCompensationAttempt(String error, long retryAt) {
        return new StepSnapshot(name, StepStatus.COMPENSATION_RETRY_WAIT, attempts, failures, compensationAttempts,
                compensationFailures + 1, result, error, retryAt);
    }

    StepSnapshot failCompensation(String error) {
        return new StepSnapshot(name, StepStatus.COMPENSATION_FAILED, attempts, failures, compensationAttempts,
                compensationFailures + 1, result, error, 0);
    }

    StepView view() {
        return new StepView(name, status, attempts, compensationAttempts, result, lastError);
    }
}
