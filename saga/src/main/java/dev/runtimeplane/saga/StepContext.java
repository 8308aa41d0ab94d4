package dev.runtimeplane.saga;

import dev.runtimeplane.core.id.ExecutionId;
import dev.runtimeplane.core.id.SessionId;
import dev.runtimeplane.core.id.TenantId;
import java.util.Map;
import java.util.Optional;

/**
 * What a step (or a compensation) sees when it runs.
 *
 * @param tenant         the tenant the execution belongs to
 * @param session        the session that started it
 * @param execution      the execution's id
 * @param step           this step's name
 * @param input          the saga's input as given to {@code start}
 * @param results        the recorded results of the steps that completed before this one, by name
 * @param idempotencyKey stable across every run of this step in this execution:
 *                       {@code <execution>:<step>} for the action, {@code <execution>:<step>:compensation}
 *                       for the compensation; pass it to the systems the step calls
 * @param attempt        1 for the first run, growing with every retry and every re-run after a crash
 * @param compensation   true when this is the step's compensation running
 * @param cancellation   set when the result is no longer wanted (timeout, deadline, cancel, park)
 * @param fencingToken   the fencing token of the lease this replica drives the execution under; pass it along
 *                       so the systems the step calls can refuse a coordinator that has since lost the lease
 */
public record StepContext(TenantId tenant, SessionId session, ExecutionId execution, String step, String input,
                          Map<String, String> results, String idempotencyKey, int attempt, boolean compensation,
                          CancellationSignal cancellation, long fencingToken) {

    public StepContext {
        results = Map.copyOf(results);
    }

    /** The recorded result of an earlier step (for a compensation, also its own step's result). */
    public Optional<String> result(String stepName) {
        return Optional.ofNullable(results.get(stepName));
    }
}
