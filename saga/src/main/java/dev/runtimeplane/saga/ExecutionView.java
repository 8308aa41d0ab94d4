package dev.runtimeplane.saga;

import dev.runtimeplane.core.id.ExecutionId;
import dev.runtimeplane.core.id.SessionId;
import dev.runtimeplane.core.id.TenantId;
import java.time.Instant;
import java.util.List;

/**
 * An execution's current state with per-step detail.
 *
 * @param tenant            owning tenant
 * @param session           the session that started it
 * @param execution         its id
 * @param definition        the saga definition's name
 * @param definitionVersion the definition version it started on (and runs on)
 * @param input             the input it was started with (what its idempotency key stands for)
 * @param state             the execution state
 * @param cause             why it compensates or compensated, or null
 * @param cancelRequested   whether a client asked to cancel
 * @param error             the error that ended it FAILED, or null
 * @param version           grows with every recorded transition
 * @param owner             the replica that last drove it
 * @param fencingToken      the lease token that replica held
 * @param createdAt         when it started
 * @param updatedAt         its last transition
 * @param deadline          when its forward run must end, or null
 * @param steps             each step, in definition order
 */
public record ExecutionView(TenantId tenant, SessionId session, ExecutionId execution, String definition,
                            int definitionVersion, String input, SagaState state, CompensationCause cause, boolean cancelRequested,
                            String error, long version, String owner, long fencingToken, Instant createdAt,
                            Instant updatedAt, Instant deadline, List<StepView> steps) {

    public ExecutionView {
        steps = List.copyOf(steps);
    }

    public boolean terminal() {
        return state.terminal();
    }
}
