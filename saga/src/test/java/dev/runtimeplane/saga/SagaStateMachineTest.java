package dev.runtimeplane.saga;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runtimeplane.core.id.ExecutionId;
import dev.runtimeplane.core.id.SessionId;
import dev.runtimeplane.core.id.TenantId;
import dev.runtimeplane.core.port.ExecutionKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every transition of the state machine, as pure functions (no ports, no threads). */
class SagaStateMachineTest {

    private static final SagaDefinition THREE = SagaDefinition.builder("three", 1)
            .step("a", ctx -> "ra", ctx -> { })
            .step("b", ctx -> "rb")
            .step("c", ctx -> "rc", ctx -> { })
            .deadline(Duration.ofMinutes(1))
            .build();
    private static final ExecutionKey KEY = new ExecutionKey(TenantId.of("t1"), ExecutionId.of("e1"));
    private static final SagaOwner OWNER = new SagaOwner(TenantId.of("t1"), SessionId.of("s1"));

    private static ExecutionSnapshot started() {
        return SagaStateMachine.start(THREE, OWNER, KEY, "in", "idem", "r1", 1_000).next();
    }

    private static List<SagaEventType> types(Transition t) {
        return t.events().stream().map(SagaEvent::type).toList();
    }

    @Test
    void startRecordsTheFirstStepAsStarted() {
        Transition t = SagaStateMachine.start(THREE, OWNER, KEY, "in", "idem", "r1", 1_000);
        ExecutionSnapshot s = t.next();
        assertEquals(1, s.version());
        assertEquals(SagaState.RUNNING, s.state());
        assertEquals(StepStatus.RUNNING, s.step(0).status());
        assertEquals(1, s.step(0).attempts());
        assertEquals(StepStatus.PENDING, s.step(1).status());
        assertEquals(0, s.fencingToken(), "journaled before any lease is granted");
        assertEquals("r1", s.owner());
        assertEquals(61_000, s.deadlineAtMillis());
        assertEquals(List.of(SagaEventType.STARTED, SagaEventType.STEP_STARTED), types(t));
        assertEquals(0, t.events().get(0).index());
        assertEquals(1, t.events().get(1).index());
        assertEquals(2, s.eventCount());
    }

    @Test
    void successesRunTheStepsInOrderAndComplete() {
        ExecutionSnapshot s = started();
        Transition t1 = SagaStateMachine.stepSucceeded(s, THREE, "ra", 2_000);
        assertEquals(List.of(SagaEventType.STEP_SUCCEEDED, SagaEventType.STEP_STARTED), types(t1));
        assertEquals(1, t1.next().cursor());
        assertEquals("ra", t1.next().step(0).result());
        Transition t2 = SagaStateMachine.stepSucceeded(t1.next(), THREE, "rb", 3_000);
        Transition t3 = SagaStateMachine.stepSucceeded(t2.next(), THREE, "rc", 4_000);
        assertEquals(List.of(SagaEventType.STEP_SUCCEEDED, SagaEventType.FINISHED), types(t3));
        assertEquals(SagaState.COMPLETED, t3.next().state());
        assertTrue(t3.next().terminal());
        assertEquals(4, t3.next().version());
        assertEquals(8, t3.next().eventCount());
        assertEquals(7, t3.events().get(1).index());
        assertEquals(SagaState.COMPLETED, t3.events().get(1).state());
        assertEquals(4_000, t3.next().updatedAtMillis());
    }

    @Test
    void aFailedAttemptWaitsAndTheRetryStartsTheNextAttempt() {
        Transition failed = SagaStateMachine.stepAttemptFailed(started(), "boom", 5_000, 2_000);
        StepSnapshot step = failed.next().step(0);
        assertEquals(StepStatus.RETRY_WAIT, step.status());
        assertEquals(1, step.failures());
        assertEquals("boom", step.lastError());
        assertEquals(5_000, step.retryAtMillis());
        SagaEvent event = failed.events().getFirst();
        assertEquals(SagaEventType.STEP_FAILED, event.type());
        assertEquals(1, event.attempt());
        assertEquals(Instant.ofEpochMilli(5_000), event.retryAt());

        Transition retry = SagaStateMachine.stepRetryStarted(failed.next(), 5_000);
        assertEquals(StepStatus.RUNNING, retry.next().step(0).status());
        assertEquals(2, retry.next().step(0).attempts());
        assertEquals(List.of(SagaEventType.STEP_STARTED), types(retry));
        assertEquals(2, retry.events().getFirst().attempt());
    }

    @Test
    void aFailedStepCompensatesCompletedStepsInReverseSkippingThoseWithoutCompensation() {
        ExecutionSnapshot s = SagaStateMachine.stepSucceeded(started(), THREE, "ra", 2).next();
        s = SagaStateMachine.stepSucceeded(s, THREE, "rb", 3).next();
        Transition failed = SagaStateMachine.stepFailed(s, THREE, "card declined", true, CompensationCause.STEP_FAILED, 4);
        ExecutionSnapshot c = failed.next();
        assertEquals(SagaState.COMPENSATING, c.state());
        assertEquals(CompensationCause.STEP_FAILED, c.cause());
        assertEquals(StepStatus.FAILED, c.step(2).status());
        assertEquals(1, c.step(2).failures());
        // b has no compensation, so a is compensated first.
        assertEquals(0, c.cursor());
        assertEquals(StepStatus.COMPENSATING, c.step(0).status());
        assertEquals(StepStatus.SUCCEEDED, c.step(1).status());
        assertEquals(List.of(SagaEventType.STEP_FAILED, SagaEventType.COMPENSATION_STARTED,
                SagaEventType.STEP_COMPENSATION_STARTED), types(failed));

        Transition done = SagaStateMachine.compensationSucceeded(c, THREE, 5);
        assertEquals(SagaState.COMPENSATED, done.next().state());
        assertEquals(StepStatus.COMPENSATED, done.next().step(0).status());
        assertEquals(List.of(SagaEventType.STEP_COMPENSATED, SagaEventType.FINISHED), types(done));
    }

    @Test
    void aFailureBeforeAnyCompletedStepEndsCompensatedAtOnce() {
        Transition failed = SagaStateMachine.stepFailed(started(), THREE, "nope", true, CompensationCause.STEP_FAILED, 2);
        assertEquals(SagaState.COMPENSATED, failed.next().state());
        assertEquals(List.of(SagaEventType.STEP_FAILED, SagaEventType.COMPENSATION_STARTED, SagaEventType.FINISHED),
                types(failed));
    }

    @Test
    void compensationRetriesAndGivesUpIntoFailed() {
        ExecutionSnapshot s = SagaStateMachine.stepSucceeded(started(), THREE, "ra", 2).next();
        s = SagaStateMachine.stepFailed(s, THREE, "x", true, CompensationCause.STEP_TIMED_OUT, 3).next();
        Transition attemptFailed = SagaStateMachine.compensationAttemptFailed(s, "refund api down", 9_000, 4);
        assertEquals(StepStatus.COMPENSATION_RETRY_WAIT, attemptFailed.next().step(0).status());
        assertEquals(1, attemptFailed.next().step(0).compensationFailures());
        Transition retry = SagaStateMachine.compensationRetryStarted(attemptFailed.next(), 9_000);
        assertEquals(StepStatus.COMPENSATING, retry.next().step(0).status());
        assertEquals(2, retry.next().step(0).compensationAttempts());
        Transition gaveUp = SagaStateMachine.compensationFailed(retry.next(), "still down", 10_000);
        assertEquals(SagaState.FAILED, gaveUp.next().state());
        assertEquals(StepStatus.COMPENSATION_FAILED, gaveUp.next().step(0).status());
        assertTrue(gaveUp.next().error().contains("still down"));
        assertEquals(List.of(SagaEventType.STEP_COMPENSATION_FAILED, SagaEventType.FINISHED), types(gaveUp));
        assertEquals(SagaState.FAILED, gaveUp.events().getLast().state());
    }

    private static ExecutionSnapshot failedCompensatingA() {
        ExecutionSnapshot s = SagaStateMachine.stepSucceeded(started(), THREE, "ra", 2).next();
        s = SagaStateMachine.stepFailed(s, THREE, "x", true, CompensationCause.STEP_FAILED, 3).next();
        s = SagaStateMachine.compensationAttemptFailed(s, "down", 9_000, 4).next();
        s = SagaStateMachine.compensationRetryStarted(s, 9_000).next();
        return SagaStateMachine.compensationFailed(s, "still down", 10_000).next();
    }

    @Test
    void anOperatorsRetryReopensAFailedExecutionAtTheCompensationThatGaveUpWithAFreshFailureCount() {
        ExecutionSnapshot failed = failedCompensatingA();
        Transition retried = SagaStateMachine.compensationRetried(failed, new OperatorNote("admin:alice", "back"), 20_000);
        ExecutionSnapshot s = retried.next();
        assertEquals(SagaState.COMPENSATING, s.state());
        assertNull(s.error());
        assertEquals(0, s.cursor());
        assertEquals(StepStatus.COMPENSATING, s.step(0).status());
        assertEquals(3, s.step(0).compensationAttempts());
        assertEquals(0, s.step(0).compensationFailures(), "the policy allows fresh attempts");
        assertEquals(List.of(SagaEventType.ADMIN_ACTION, SagaEventType.COMPENSATION_STARTED,
                SagaEventType.STEP_COMPENSATION_STARTED), types(retried));
        assertEquals("admin:alice", retried.events().getFirst().actor());
        assertEquals("retry: back", retried.events().getFirst().detail());
        Transition done = SagaStateMachine.compensationSucceeded(s, THREE, 21_000);
        assertEquals(SagaState.COMPENSATED, done.next().state());
    }

    @Test
    void anOperatorsResolveEndsAFailedExecutionResolvedWithTheNote() {
        Transition resolved = SagaStateMachine.resolved(failedCompensatingA(), new OperatorNote("admin", "by hand"), 20_000);
        assertEquals(SagaState.RESOLVED, resolved.next().state());
        assertTrue(resolved.next().terminal());
        assertEquals(StepStatus.COMPENSATION_FAILED, resolved.next().step(0).status(), "steps are left as they were");
        assertEquals(List.of(SagaEventType.ADMIN_ACTION, SagaEventType.FINISHED), types(resolved));
        assertEquals("by hand", resolved.events().getLast().detail());
        assertEquals(SagaState.RESOLVED, resolved.events().getLast().state());
    }

    @Test
    void anOperatorsCancelIsRecordedBeforeTheCancelRequest() {
        Transition cancelled = SagaStateMachine.operatorCancelled(started(), new OperatorNote("admin:bob", "stop"), 2_000);
        assertTrue(cancelled.next().cancelRequested());
        assertEquals(List.of(SagaEventType.ADMIN_ACTION, SagaEventType.CANCEL_REQUESTED), types(cancelled));
    }

    @Test
    void aCancelRequestTurnsTheNextSuccessIntoCompensationIncludingThatStep() {
        Transition cancel = SagaStateMachine.cancelRequested(started(), 2);
        assertTrue(cancel.next().cancelRequested());
        assertEquals(SagaState.RUNNING, cancel.next().state());
        assertEquals(List.of(SagaEventType.CANCEL_REQUESTED), types(cancel));
        Transition after = SagaStateMachine.stepSucceeded(cancel.next(), THREE, "ra", 3);
        assertEquals(SagaState.COMPENSATING, after.next().state());
        assertEquals(CompensationCause.CANCELLED, after.next().cause());
        assertEquals(StepStatus.COMPENSATING, after.next().step(0).status());
        Transition undone = SagaStateMachine.compensationSucceeded(after.next(), THREE, 4);
        assertEquals(SagaState.CANCELLED, undone.next().state(), "a cancel ends CANCELLED, not COMPENSATED");
        assertEquals(SagaEventType.FINISHED, undone.events().getLast().type());
    }

    @Test
    void resumeStartsTheInterruptedAttemptAgain() {
        Transition resumed = SagaStateMachine.resume(started(), "adopted", 5);
        assertEquals(2, resumed.next().step(0).attempts());
        ExecutionSnapshot stamped = resumed.next().stamped("r2", 9);
        assertEquals(9, stamped.fencingToken());
        assertEquals("r2", stamped.owner());
        assertEquals(resumed.next().version(), stamped.version());
        assertEquals(List.of(SagaEventType.RESUMED, SagaEventType.STEP_STARTED), types(resumed));
        assertEquals("resumed", resumed.events().get(1).detail());

        ExecutionSnapshot waiting = SagaStateMachine.stepAttemptFailed(started(), "x", 99, 2).next();
        Transition resumedWaiting = SagaStateMachine.resume(waiting, "restart", 5);
        assertEquals(StepStatus.RETRY_WAIT, resumedWaiting.next().step(0).status());
        assertEquals(List.of(SagaEventType.RESUMED), types(resumedWaiting));

        ExecutionSnapshot compensating = SagaStateMachine.stepFailed(
                SagaStateMachine.stepSucceeded(started(), THREE, "ra", 2).next(), THREE, "x", true,
                CompensationCause.CANCELLED, 3).next();
        Transition resumedCompensating = SagaStateMachine.resume(compensating, "restart", 5);
        assertEquals(2, resumedCompensating.next().step(0).compensationAttempts());
        assertEquals(SagaEventType.STEP_COMPENSATION_STARTED, resumedCompensating.events().getLast().type());
    }

    @Test
    void newerThanOrdersByLeaseTokenThenVersion() {
        ExecutionSnapshot a = started();
        ExecutionSnapshot b = SagaStateMachine.stepSucceeded(a, THREE, "ra", 2).next();
        assertTrue(b.newerThan(a));
        assertFalse(a.newerThan(b));
        ExecutionSnapshot adopted = SagaStateMachine.resume(a, "x", 3).next().stamped("r2", 8);
        assertEquals(b.version(), adopted.version());
        assertTrue(adopted.newerThan(b));
        assertFalse(a.newerThan(a));
    }

    @Test
    void theViewShowsEveryStep() {
        ExecutionSnapshot s = SagaStateMachine.stepSucceeded(started(), THREE, "ra", 2).next();
        ExecutionView view = s.view();
        assertEquals(3, view.steps().size());
        assertEquals("ra", view.steps().get(0).result());
        assertEquals(StepStatus.RUNNING, view.steps().get(1).status());
        assertNull(view.cause());
        assertEquals("three", view.definition());
        assertEquals(Instant.ofEpochMilli(61_000), view.deadline());
    }
}
