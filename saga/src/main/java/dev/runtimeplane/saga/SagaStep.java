package dev.runtimeplane.saga;

import java.time.Duration;
import java.util.Objects;

/**
 * One step of a saga definition.
 *
 * @param name               unique within the definition; part of the idempotency key
 * @param action             the forward work
 * @param compensation       undoes the action, or null when there is nothing to undo
 * @param retry              retry policy of the action
 * @param compensationRetry  retry policy of the compensation
 * @param timeout            bound on every single attempt (action or compensation), or null for none.
 *                           An action attempt that times out is not retried (it may still be running):
 *                           the saga compensates. A compensation attempt that times out counts as a failed
 *                           attempt and is retried under {@code compensationRetry}.
 */
public record SagaStep(String name, StepAction action, StepCompensation compensation, RetryPolicy retry,
                       RetryPolicy compensationRetry, Duration timeout) {

    public SagaStep {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(retry, "retry");
        Objects.requireNonNull(compensationRetry, "compensationRetry");
    }

    public boolean hasCompensation() {
        return compensation != null;
    }
}
