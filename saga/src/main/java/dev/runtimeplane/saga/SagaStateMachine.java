package dev.runtimeplane.saga;

import dev.runtimeplane.core.port.ExecutionKey;
import java.util.ArrayList;
import java.util.List;

/**
 * Every transition of an execution as a pure function from one snapshot to the next plus the history
 * events it adds. No I/O and no clock: the caller passes the time. Which replica and lease made a
 * snapshot is stamped on by {@link TransitionCommitter}. The table of states and transitions is in
 * saga/README.md.
 */
final class SagaStateMachine {

    private SagaStateMachine() {
    }

    /**
     * The first snapshot: RUNNING, the first step's first attempt started. It is journaled before the
     * lease is granted, so it carries token 0, which every lease token supersedes.
     */
    static Transition start(SagaDefinition definition, SagaOwner owner, ExecutionKey key, String input,
                            String idempotencyKey, String replica, long nowMillis) {
        List<StepSnapshot> steps = new ArrayList<>(definition.steps().size());
        for (SagaStep step : definition.steps()) {
            steps.add(StepSnapshot.pending(step.name()));
        }
        long deadlineAt = definition.deadline().map(d -> nowMillis + d.toMillis()).orElse(0L);
        // Version 0 is the seed the first transition grows from; it is never stored.
        ExecutionSnapshot seed = new ExecutionSnapshot(key, owner.session(), definition.name(), definition.version(),
                input, idempotencyKey, 0, 0, replica, SagaState.RUNNING, null, false, null,
                nowMillis, nowMillis, deadlineAt, 0, 0, steps);
        Transition.Recorder recorder = new Transition.Recorder(seed, nowMillis);
        recorder.event(SagaEventType.STARTED, definition.toString());
        startStep(recorder, 0, null);
        return recorder.build();
    }

    /**
     * A replica takes the execution over (its own restart, or adoption from a dead replica). An attempt
     * that was started and not recorded as finished is started again under a new attempt number.
     */
    static Transition resume(ExecutionSnapshot from, String why, long nowMillis) {
        Transition.Recorder recorder = new Transition.Recorder(from, nowMillis);
        resumeInto(recorder, from, why);
        return recorder.build();
    }

    /** An operator re-drives an execution no replica drove (e.g. its definition version was missing): as {@link #resume}. */
    static Transition redriven(ExecutionSnapshot from, OperatorNote note, String why, long nowMillis) {
        Transition.Recorder recorder = new Transition.Recorder(from, nowMillis);
        recorder.adminAction(note, "redrive");
        resumeInto(recorder, from, why);
        return recorder.build();
    }

    private static void resumeInto(Transition.Recorder recorder, ExecutionSnapshot from, String why) {
        recorder.event(SagaEventType.RESUMED, why);
        int cursor = from.cursor();
        StepSnapshot step = from.current();
        if (from.state() == SagaState.RUNNING && step.status() == StepStatus.RUNNING) {
            startStep(recorder, cursor, "resumed");
        } else if (from.state() == SagaState.COMPENSATING && step.status() == StepStatus.COMPENSATING) {
            startCompensation(recorder, cursor, "resumed");
        }
    }

    /** The running step's action returned {@code result}. */
    static Transition stepSucceeded(ExecutionSnapshot from, SagaDefinition definition, String result,
                                    long nowMillis) {
        Transition.Recorder recorder = new Transition.Recorder(from, nowMillis);
        int cursor = from.cursor();
        StepSnapshot step = from.current();
        recorder.next().step(cursor, step.succeed(result));
        recorder.event(SagaEventType.STEP_SUCCEEDED, step.name(), step.attempts(), null, 0);
        if (from.cancelRequested()) {
            beginCompensation(recorder, definition, CompensationCause.CANCELLED, "cancelled");
        } else if (cursor + 1 < from.steps().size()) {
            startStep(recorder, cursor + 1, null);
        } else {
            finish(recorder, SagaState.COMPLETED, null);
        }
        return recorder.build();
    }

    /** An attempt of the running step failed and the policy allows another at {@code retryAtMillis}. */
    static Transition stepAttemptFailed(ExecutionSnapshot from, String error, long retryAtMillis, long nowMillis) {
        Transition.Recorder recorder = new Transition.Recorder(from, nowMillis);
        StepSnapshot step = from.current();
        recorder.next().step(from.cursor(), step.failAttempt(error, retryAtMillis));
        recorder.event(SagaEventType.STEP_FAILED, step.name(), step.attempts(), error, retryAtMillis);
        return recorder.build();
    }

    /** The retry wait of the current step is over: its next attempt starts. */
    static Transition stepRetryStarted(ExecutionSnapshot from, long nowMillis) {
        Transition.Recorder recorder = new Transition.Recorder(from, nowMillis);
        startStep(recorder, from.cursor(), null);
        return recorder.build();
    }

    /**
     * The current step gives up and the execution compensates. {@code attemptFailed} says whether an
     * attempt failed (an error, a timeout, a deadline or cancel that cut it short) or whether the step was
     * between attempts when the deadline passed or the cancel arrived.
     */
    static Transition stepFailed(ExecutionSnapshot from, SagaDefinition definition, String error,
                                 boolean attemptFailed, CompensationCause cause, long nowMillis) {
        Transition.Recorder recorder = new Transition.Recorder(from, nowMillis);
        StepSnapshot step = from.current();
        recorder.next().step(from.cursor(), step.fail(error, attemptFailed));
        recorder.event(SagaEventType.STEP_FAILED, step.name(), step.attempts(), error, 0);
        beginCompensation(recorder, definition, cause, error);
        return recorder.build();
    }

    /** A client asked to cancel; the driver turns this into compensation at its next decision. */
    static Transition cancelRequested(ExecutionSnapshot from, long nowMillis) {
        Transition.Recorder recorder = new Transition.Recorder(from, nowMillis);
        recorder.next().cancelRequested();
        recorder.event(SagaEventType.CANCEL_REQUESTED, null);
        return recorder.build();
    }

    /** An operator asked to cancel: as {@link #cancelRequested}, after the action's own event. */
    static Transition operatorCancelled(ExecutionSnapshot from, OperatorNote note, long nowMillis) {
        Transition.Recorder recorder = new Transition.Recorder(from, nowMillis);
        recorder.adminAction(note, "cancel");
        recorder.next().cancelRequested();
        recorder.event(SagaEventType.CANCEL_REQUESTED, note.actor());
        return recorder.build();
    }

    /**
     * An operator retries a FAILED execution's compensation: COMPENSATING again, from the step whose
     * compensation gave up (its failure count starts again, so its policy allows fresh attempts); the
     * steps below it follow in reverse as usual.
     */
    static Transition compensationRetried(ExecutionSnapshot from, OperatorNote note, long nowMillis) {
        Transition.Recorder recorder = new Transition.Recorder(from, nowMillis);
        recorder.next().state(SagaState.COMPENSATING).error(null);
        recorder.adminAction(note, "retry");
        recorder.event(SagaEventType.COMPENSATION_STARTED, "retried by " + note.actor());
        recorder.next().step(from.cursor(), from.current().reopenCompensation());
        startCompensation(recorder, from.cursor(), null);
        return recorder.build();
    }

    /** An operator marks a FAILED execution handled by hand: RESOLVED, with the note; nothing runs. */
    static Transition resolved(ExecutionSnapshot from, OperatorNote note, long nowMillis) {
        Transition.Recorder recorder = new Transition.Recorder(from, nowMillis);
        recorder.adminAction(note, "resolve");
        finish(recorder, SagaState.RESOLVED, note.reason());
        return recorder.build();
    }

    /** The current step's compensation completed; the next lower one starts, or the execution is COMPENSATED (or CANCELLED). */
    static Transition compensationSucceeded(ExecutionSnapshot from, SagaDefinition definition, long nowMillis) {
        Transition.Recorder recorder = new Transition.Recorder(from, nowMillis);
        StepSnapshot step = from.current();
        recorder.next().step(from.cursor(), step.compensated());
        recorder.event(SagaEventType.STEP_COMPENSATED, step.name(), step.compensationAttempts(), null, 0);
        compensateFrom(recorder, definition, from.cursor() - 1);
        return recorder.build();
    }

    /** A compensation attempt failed and its policy allows another at {@code retryAtMillis}. */
    static Transition compensationAttemptFailed(ExecutionSnapshot from, String error, long retryAtMillis,
                                                long nowMillis) {
        Transition.Recorder recorder = new Transition.Recorder(from, nowMillis);
        StepSnapshot step = from.current();
        recorder.next().step(from.cursor(), step.failCompensationAttempt(error, retryAtMillis));
        recorder.event(SagaEventType.STEP_COMPENSATION_FAILED, step.name(), step.compensationAttempts(), error,
                retryAtMillis);
        return recorder.build();
    }

    /** The retry wait of the current compensation is over: its next attempt starts. */
    static Transition compensationRetryStarted(ExecutionSnapshot from, long nowMillis) {
        Transition.Recorder recorder = new Transition.Recorder(from, nowMillis);
        startCompensation(recorder, from.cursor(), null);
        return recorder.build();
    }

    /** A compensation gave up: the execution ends FAILED, never reported as compensated. */
    static Transition compensationFailed(ExecutionSnapshot from, String error, long nowMillis) {
        Transition.Recorder recorder = new Transition.Recorder(from, nowMillis);
        StepSnapshot step = from.current();
        recorder.next().step(from.cursor(), step.failCompensation(error));
        recorder.event(SagaEventType.STEP_COMPENSATION_FAILED, step.name(), step.compensationAttempts(), error, 0);
        String failure = "compensation of step '" + step.name() + "' failed: " + error;
        recorder.next().error(failure);
        finish(recorder, SagaState.FAILED, failure);
        return recorder.build();
    }

    private static void startStep(Transition.Recorder recorder, int index, String note) {
        StepSnapshot started = recorder.next().step(index).startAttempt();
        recorder.next().cursor(index).step(index, started);
        recorder.event(SagaEventType.STEP_STARTED, started.name(), started.attempts(), note, 0);
    }

    private static void startCompensation(Transition.Recorder recorder, int index, String note) {
        StepSnapshot started = recorder.next().step(index).startCompensation();
        recorder.next().cursor(index).step(index, started);
        recorder.event(SagaEventType.STEP_COMPENSATION_STARTED, started.name(), started.compensationAttempts(), note, 0);
    }

    private static void beginCompensation(Transition.Recorder recorder, SagaDefinition definition,
                                          CompensationCause cause, String detail) {
        recorder.next().state(SagaState.COMPENSATING).cause(cause);
        recorder.event(SagaEventType.COMPENSATION_STARTED, cause.name() + (detail == null ? "" : ": " + detail));
        compensateFrom(recorder, definition, recorder.next().cursor());
    }

    /**
     * Starts the compensation of the highest completed step at or below {@code index} that has a
     * compensation, or ends the execution when none is left: CANCELLED when a client's cancel started the
     * compensation, COMPENSATED otherwise. Steps without a compensation stay SUCCEEDED: there is nothing to undo.
     */
    private static void compensateFrom(Transition.Recorder recorder, SagaDefinition definition, int index) {
        for (int i = index; i >= 0; i--) {
            if (recorder.next().step(i).status() == StepStatus.SUCCEEDED && definition.step(i).hasCompensation()) {
                startCompensation(recorder, i, null);
                return;
            }
        }
        finish(recorder, recorder.next().cause() == CompensationCause.CANCELLED ? SagaState.CANCELLED
                : SagaState.COMPENSATED, null);
    }

    private static void finish(Transition.Recorder recorder, SagaState terminal, String detail) {
        recorder.next().state(terminal);
        recorder.event(SagaEventType.FINISHED, detail);
    }
}
