package dev.runtimeplane.service.api;

import dev.runtimeplane.saga.ExecutionView;
import dev.runtimeplane.saga.SagaEvent;
import dev.runtimeplane.saga.StepView;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.List;

/** Response bodies of the execution routes. */
public final class ExecutionDtos {

    private ExecutionDtos() {
    }

    /** An execution's status with per-step detail. Step results are the JSON text the step returned. */
    @Serdeable
    public record ExecutionStatus(String executionId, String sessionId, String type, int typeVersion, String state,
                                  boolean terminal, @Nullable String compensationCause, boolean cancelRequested,
                                  @Nullable String error, Instant createdAt, Instant updatedAt,
                                  @Nullable Instant deadline, List<StepStatus> steps) {

        static ExecutionStatus of(ExecutionView view) {
            return new ExecutionStatus(view.execution().value(), view.session().value(), view.definition(),
                    view.definitionVersion(), view.state().name(), view.terminal(),
                    view.cause() == null ? null : view.cause().name(), view.cancelRequested(), view.error(),
                    view.createdAt(), view.updatedAt(), view.deadline(),
                    view.steps().stream().map(StepStatus::of).toList());
        }
    }

    /** One step of an execution. */
    @Serdeable
    public record StepStatus(String name, String status, int attempts, int compensationAttempts,
                             @Nullable String result, @Nullable String lastError) {

        static StepStatus of(StepView step) {
            return new StepStatus(step.name(), step.status().name(), step.attempts(), step.compensationAttempts(),
                    step.result(), step.lastError());
        }
    }

    /** One entry of an execution's history (also the data of each server-sent event). */
    @Serdeable
    public record ExecutionEvent(long index, String type, Instant at, String state, @Nullable String step,
                                 int attempt, @Nullable String detail, @Nullable Instant retryAt) {

        static ExecutionEvent of(SagaEvent event) {
            return new ExecutionEvent(event.index(), event.type().name(), event.at(), event.state().name(),
                    event.step(), event.attempt(), event.detail(), event.retryAt());
        }
    }
}
