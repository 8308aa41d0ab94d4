package dev.runtimeplane.saga;

import dev.runtimeplane.core.id.SessionId;
import dev.runtimeplane.core.port.ExecutionKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The complete durable state of one execution: what the journal records carry and the state store
 * keeps (encoded by {@link SnapshotCodec}). Immutable; {@link SagaStateMachine} derives the next one.
 *
 * @param version         grows by one with every transition
 * @param fencingToken    the lease token of the replica that produced this snapshot; with the version it
 *                        orders snapshots from different owners (a later owner's token is larger)
 * @param owner           the replica that produced it
 * @param cursor          the step being run (RUNNING) or compensated (COMPENSATING)
 * @param eventCount      the length of the history up to and including this version
 * @param deadlineAtMillis epoch millis the forward run must end by, or 0 for none
 */
record ExecutionSnapshot(ExecutionKey key, SessionId session, String definition, int definitionVersion,
                         String input, String idempotencyKey, long version, long fencingToken, String owner,
                         SagaState state, CompensationCause cause, boolean cancelRequested, String error,
                         long createdAtMillis, long updatedAtMillis, long deadlineAtMillis, int cursor,
                         long eventCount, List<StepSnapshot> steps) {

    ExecutionSnapshot {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(state, "state");
        steps = List.copyOf(steps);
    }

    StepSnapshot step(int index) {
        return steps.get(index);
    }

    StepSnapshot current() {
        return steps.get(cursor);
    }

    boolean terminal() {
        return state.terminal();
    }

    boolean hasDeadline() {
        return deadlineAtMillis > 0;
    }

    /** Whether this snapshot supersedes {@code other}: a later owner's, or the same owner's later version. */
    boolean newerThan(ExecutionSnapshot other) {
        if (fencingToken != other.fencingToken) {
            return fencingToken > other.fencingToken;
        }
        return version > other.version;
    }

    /** The results of the steps that succeeded so far, by name. */
    Map<String, String> results() {
        Map<String, String> results = new HashMap<>();
        for (StepSnapshot step : steps) {
            if (step.result() != null) {
                results.put(step.name(), step.result());
            }
        }
        return results;
    }

    /** This snapshot as made by {@code newOwner} under the lease with {@code token}. */
    ExecutionSnapshot stamped(String newOwner, long token) {
        return new ExecutionSnapshot(key, session, definition, definitionVersion, input, idempotencyKey, version, token,
                newOwner, state, cause, cancelRequested, error, createdAtMillis, updatedAtMillis, deadlineAtMillis,
                cursor, eventCount, steps);
    }

    ExecutionView view() {
        List<StepView> stepViews = new ArrayList<>(steps.size());
        for (StepSnapshot step : steps) {
            stepViews.add(step.view());
        }
        return new ExecutionView(key.tenant(), session, key.execution(), definition, definitionVersion, input, state,
                cause, cancelRequested, error, version, owner, fencingToken, Instant.ofEpochMilli(createdAtMillis),
                Instant.ofEpochMilli(updatedAtMillis), hasDeadline() ? Instant.ofEpochMilli(deadlineAtMillis) : null,
                stepViews);
    }

    /** A builder seeded with this snapshot, for the state machine's transitions. */
    Next next(long nowMillis) {
        return new Next(this, nowMillis);
    }

    /** Accumulates one transition: the next version of the snapshot. */
    static final class Next {
        private final ExecutionSnapshot from;
        private final List<StepSnapshot> steps;
        private SagaState state;
        private CompensationCause cause;
        private boolean cancelRequested;
        private String error;
        private int cursor;
        private final long nowMillis;

        private Next(ExecutionSnapshot from, long nowMillis) {
            this.from = from;
            this.steps = new ArrayList<>(from.steps);
            this.state = from.state;
            this.cause = from.cause;
            this.cancelRequested = from.cancelRequested;
            this.error = from.error;
            this.cursor = from.cursor;
            this.nowMillis = nowMillis;
        }

        Next state(SagaState newState) {
            this.state = newState;
            return this;
        }

        Next cause(CompensationCause newCause) {
            this.cause = newCause;
            return this;
        }

        Next cancelRequested() {
            this.cancelRequested = true;
            return this;
        }

        Next error(String newError) {
            this.error = newError;
            return this;
        }

        Next cursor(int newCursor) {
            this.cursor = newCursor;
            return this;
        }

        Next step(int index, StepSnapshot step) {
            steps.set(index, step);
            return this;
        }

        StepSnapshot step(int index) {
            return steps.get(index);
        }

        SagaState state() {
            return state;
        }

        CompensationCause cause() {
            return cause;
        }

        int cursor() {
            return cursor;
        }

        long nowMillis() {
            return nowMillis;
        }

        ExecutionSnapshot build(int newEvents) {
            return new ExecutionSnapshot(from.key, from.session, from.definition, from.definitionVersion, from.input,
                    from.idempotencyKey, from.version + 1, from.fencingToken, from.owner, state, cause, cancelRequested, error,
                    from.createdAtMillis, nowMillis, from.deadlineAtMillis, cursor, from.eventCount + newEvents, steps);
        }
    }
}
