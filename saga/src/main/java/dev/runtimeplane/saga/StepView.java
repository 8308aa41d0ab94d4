package dev.runtimeplane.saga;

/**
 * One step of an execution as {@link SagaCoordinator#status} shows it.
 *
 * @param name                 the step's name
 * @param status               where it stands
 * @param attempts             action attempts started (including re-runs after a crash)
 * @param compensationAttempts compensation attempts started
 * @param result               the recorded result, or null
 * @param lastError            the error of the last failed attempt (action or compensation), or null
 */
public record StepView(String name, StepStatus status, int attempts, int compensationAttempts, String result,
                       String lastError) {
}
