package dev.runtimeplane.service.admin;

import dev.runtimeplane.saga.ExecutionView;
import dev.runtimeplane.saga.SagaEvent;
import dev.runtimeplane.saga.SagaEventType;
import dev.runtimeplane.saga.SagaState;
import dev.runtimeplane.saga.StepView;
import dev.runtimeplane.state.ExecutionIndex.ExecutionSummary;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Bodies of the admin execution routes (runtime-service/ADMIN-API.md). */
public final class AdminExecutionDtos {

    private AdminExecutionDtos() {
    }

    /** One item of the list. */
    @Serdeable
    public record ExecutionItem(String tenant, String executionId, String sessionId, String type, int typeVersion,
                                String state, boolean terminal, String owner, Instant createdAt, Instant updatedAt) {

        static ExecutionItem of(ExecutionSummary s) {
            return new ExecutionItem(s.tenant().value(), s.execution().value(), s.session().value(), s.type(),
                    s.typeVersion(), s.state(), s.terminal(), s.owner(), Instant.ofEpochMilli(s.createdAtMillis()),
                    Instant.ofEpochMilli(s.updatedAtMillis()));
        }
    }

    /** A page of the list; {@code nextCursor} null at the end. */
    @Serdeable
    public record ExecutionList(List<ExecutionItem> items, @Nullable String nextCursor) {
    }

    /** Executions per state (every state present), and their sum. */
    @Serdeable
    public record ExecutionCounts(Map<String, Long> counts, long total) {
    }

    /** Who resolved a FAILED execution, why, and when. */
    @Serdeable
    public record Resolution(String actor, String note, Instant at) {
    }

    /** One step. */
    @Serdeable
    public record Step(String name, String status, int attempts, int compensationAttempts, @Nullable String result,
                       @Nullable String lastError) {

        static Step of(StepView step) {
            return new Step(step.name(), step.status().name(), step.attempts(), step.compensationAttempts(),
                    step.result(), step.lastError());
        }
    }

    /** One execution in full, with the actions that apply to it now. */
    @Serdeable
    public record ExecutionDetail(String tenant, String executionId, String sessionId, String type, int typeVersion,
                                  String state, boolean terminal, @Nullable String compensationCause,
                                  boolean cancelRequested, @Nullable String error, String input, @Nullable String owner,
                                  @Nullable String leaseHolder, long fencingToken, long version, Instant createdAt,
                                  Instant updatedAt, @Nullable Instant deadline, @Nullable Resolution resolution,
                                  List<String> actions, List<Step> steps) {

        static ExecutionDetail of(ExecutionView view, String leaseHolder, List<SagaEvent> history) {
            return new ExecutionDetail(view.tenant().value(), view.execution().value(), view.session().value(),
                    view.definition(), view.definitionVersion(), view.state().name(), view.terminal(),
                    view.cause() == null ? null : view.cause().name(), view.cancelRequested(), view.error(),
                    view.input(), view.owner(), leaseHolder, view.fencingToken(), view.version(), view.createdAt(),
                    view.updatedAt(), view.deadline(), resolution(view, history), actions(view, leaseHolder),
                    view.steps().stream().map(Step::of).toList());
        }

        private static Resolution resolution(ExecutionView view, List<SagaEvent> history) {
            if (view.state() != SagaState.RESOLVED) {
                return null;
            }
            for (SagaEvent event : history.reversed()) {
                if (event.type() == SagaEventType.ADMIN_ACTION && event.detail() != null
                        && event.detail().startsWith(RESOLVE_PREFIX)) {
                    return new Resolution(event.actor(), event.detail().substring(RESOLVE_PREFIX.length()), event.at());
                }
            }
            return null;
        }

        private static List<String> actions(ExecutionView view, String leaseHolder) {
            List<String> actions = new ArrayList<>();
            if (view.state() == SagaState.RUNNING && !view.cancelRequested()) {
                actions.add("cancel");
            }
            if (view.state() == SagaState.FAILED) {
                actions.add("retry");
                actions.add("resolve");
            }
            if (!view.terminal() && leaseHolder == null) {
                actions.add("redrive");
            }
            return actions;
        }
    }

    private static final String RESOLVE_PREFIX = "resolve: ";

    /** One history entry; {@code actor} is set on ADMIN_ACTION events only. */
    @Serdeable
    public record Event(long index, String type, Instant at, String state, @Nullable String step, int attempt,
                        @Nullable String detail, @Nullable Instant retryAt, @Nullable String actor) {

        static Event of(SagaEvent e) {
            return new Event(e.index(), e.type().name(), e.at(), e.state().name(), e.step(), e.attempt(), e.detail(),
                    e.retryAt(), e.actor());
        }
    }

    /** The body of an action. */
    @Serdeable
    public record ActionRequest(@Nullable String reason, @Nullable String actor) {
    }
}
