package dev.runtimeplane.saga;

/**
 * Undoes a completed step. Runs at least once when the saga compensates, possibly again after a
 * crash or a timeout, so it must be idempotent; {@link StepContext#result(String)} gives the result
 * of the step it undoes.
 */
@FunctionalInterface
public interface StepCompensation {

    void compensate(StepContext context) throws Exception;
}
