package dev.runtimeplane.declarative;

import dev.runtimeplane.saga.RetryPolicy;
import java.time.Duration;

/**
 * One step of an intent type.
 *
 * @param name              unique within the definition; templates see its result as {@code steps.<name>}
 * @param action            the forward call
 * @param compensation      the call that undoes it, or null
 * @param timeout           bound on each attempt of the action and of the compensation
 * @param retry             retry policy of the action
 * @param compensationRetry retry policy of the compensation
 */
public record StepDefinition(String name, HttpCall action, HttpCall compensation, Duration timeout,
                             RetryPolicy retry, RetryPolicy compensationRetry) {
}
