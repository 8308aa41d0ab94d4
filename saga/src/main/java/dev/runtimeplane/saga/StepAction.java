package dev.runtimeplane.saga;

/**
 * The forward work of a step. Runs at least once per execution (again after a crash that struck
 * while it ran), so it passes {@link StepContext#idempotencyKey()} to the systems it calls.
 * Its result (may be null) is recorded exactly once and is visible to later steps.
 */
@FunctionalInterface
public interface StepAction {

    String run(StepContext context) throws Exception;
}
